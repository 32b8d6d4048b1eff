"""PDFs with a text layer: chapters from the outline or from heading sizes, running headers
and page numbers dropped, hyphenation joined, paragraphs across pages, footnotes as notes;
scans, encrypted and broken files refused with one message each."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader, PdfWriter

from readings.importers import ImportLimits, ReadingImportError, detect_format, parse_reading

from .pdfwriter import CHAPTERS, Page, book_pdf, build_pdf
from .support import assert_invariant, titles


def text_of(reading) -> str:
    return " ".join(p.text for c in reading.chapters for p in c.passages)


def test_a_pdf_is_recognised_whatever_its_name():
    assert detect_format(book_pdf(), "upload") == "pdf"
    assert detect_format(book_pdf(), "book.txt") == "pdf"


def test_chapters_come_from_the_outline():
    reading = parse_reading(book_pdf(), "winter.pdf")
    assert titles(reading) == ["Chapter I: The Lantern", "Chapter II: The Storm"]
    assert (reading.title, reading.author) == ("The Winter Harbour", "Ann Author")
    assert reading.format == "pdf"
    assert_invariant(reading)


def test_without_an_outline_chapters_come_from_the_headings_sizes():
    reading = parse_reading(book_pdf(outline=False), "winter.pdf")
    assert titles(reading) == ["Chapter I: The Lantern", "Chapter II: The Storm"]
    assert "by Ann Author" not in text_of(reading)  # the title page


def test_running_headers_and_page_numbers_are_dropped():
    text = text_of(parse_reading(book_pdf(), "winter.pdf"))
    assert "THE WINTER HARBOUR" not in text
    assert not re.search(r"(?<![\w.,])\d(?![\w.,])", text.replace("1921", "")), text


def test_a_word_hyphenated_across_lines_is_joined():
    text = text_of(parse_reading(book_pdf(), "winter.pdf"))
    assert "than the harbourmaster did." in text
    assert "har-" not in text


def test_a_hyphen_the_book_spells_elsewhere_is_kept():
    paragraph = (
        "It was a well-known fact in the town, as well-known as the tides, that the keeper "
        "never slept before the last boat was in, and it was a well-known thing too that he "
        "never said so."
    )
    chapters = [(("CHAPTER I", "Chapter I"), "FACTS", [paragraph]), CHAPTERS[1]]
    reading = parse_reading(book_pdf(hyphenate="well-known", chapters=chapters), "w.pdf")
    assert text_of(reading).count("well-known") == 3


def test_a_paragraph_goes_on_across_a_page_break():
    reading = parse_reading(book_pdf(), "winter.pdf")
    first = reading.chapters[0].passages[1]
    assert first.text == " ".join(CHAPTERS[0][2][0].split())


def test_a_footnote_is_a_note_linked_to_its_mark():
    reading = parse_reading(book_pdf(), "winter.pdf")
    passages = reading.chapters[0].passages
    note = passages[-1]
    assert (note.kind, note.text) == (
        "note",
        "1. The lantern was taken down in 1921 and is now in the town museum.",
    )
    assert 'class="noteref"' in passages[-2].html and passages[-2].text.endswith("winters.1")
    assert 'href="#noteref-' in note.html


def test_a_pdf_without_text_is_refused_as_a_scan():
    blank = build_pdf([Page(), Page(), Page()])
    with pytest.raises(ReadingImportError) as error:
        parse_reading(blank, "scan.pdf")
    assert str(error.value).startswith("The PDF has no text to read: its pages are pictures")


@pytest.mark.parametrize("owner_only", [False, True])
def test_an_encrypted_pdf_is_refused(owner_only):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(book_pdf())))
    password = "" if owner_only else "secret"
    writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ReadingImportError, match=r"^The PDF is encrypted \("):
        parse_reading(buffer.getvalue(), "locked.pdf")


def test_a_broken_pdf_is_refused():
    with pytest.raises(ReadingImportError, match="PDF"):
        parse_reading(b"%PDF-1.4\nnot really a pdf at all\n", "broken.pdf")


def test_a_pdf_over_the_page_limit_is_refused_naming_it():
    pages = [Page() for _ in range(5)]
    for page in pages:
        page.text(72, 700, 11, "Some words on every page of this document.")
    with pytest.raises(ReadingImportError) as error:
        parse_reading(build_pdf(pages), "long.pdf", limits=ImportLimits(pages=4))
    assert str(error.value) == (
        "The PDF has too many pages (5); the limit is 4 pages (READING_IMPORT_MAX_PAGES)."
    )
