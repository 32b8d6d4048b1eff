"""The EPUB importer, on EPUBs built in the test."""

from __future__ import annotations

import io
import zipfile

import pytest

from readings.importers import ReadingImportError, parse_reading

from .support import assert_invariant, make_epub, titles

TITLEPAGE = (
    "titlepage.xhtml",
    '<body epub:type="frontmatter"><section epub:type="titlepage"><h1>A Small Book</h1>'
    "<p>Ann Author</p></section></body>",
)
IMPRINT = (
    "imprint.xhtml",
    '<body><section epub:type="imprint"><p>Made by Tiny Press.</p></section></body>',
)
HALFTITLE = ("half.xhtml", "<body><section><h2>A Small Book</h2></section></body>")
PREFACE = (
    "preface.xhtml",
    '<body><section epub:type="preface"><h2 epub:type="title">Preface</h2>'
    "<p>Why this <i>book</i>.</p><footer><p>The Editor</p></footer></section></body>",
)
CHAPTER_1 = (
    "chapter-1.xhtml",
    '<body><section id="chapter-1" epub:type="chapter"><hgroup>'
    '<h2 epub:type="ordinal">I</h2><p epub:type="title">The Start'
    '<a href="endnotes.xhtml#note-1" id="noteref-1" epub:type="noteref">1</a></p></hgroup>'
    '<p>Once<a href="endnotes.xhtml#note-2" id="noteref-2" epub:type="noteref">2</a> upon.</p>'
    '<blockquote epub:type="z3998:poem"><p><span>A line</span><br/><span>Another</span></p>'
    "</blockquote><ol><li><p>Item</p></li></ol></section></body>",
)
TWO_CHAPTERS = (
    "chapters.xhtml",
    '<body><section epub:type="chapter"><h2>II</h2><p>Two.</p></section>'
    '<section epub:type="chapter"><h2>III</h2><h3>Inner</h3><p>Three.</p></section></body>',
)
ENDNOTES = (
    "endnotes.xhtml",
    '<body><section epub:type="endnotes"><h2>Endnotes</h2><ol>'
    '<li id="note-1" epub:type="endnote"><p>On the title. '
    '<a href="chapter-1.xhtml#noteref-1" epub:type="backlink">↩</a></p></li>'
    '<li id="note-2" epub:type="endnote"><p>On once.</p><p>More on once. '
    '<a href="chapter-1.xhtml#noteref-2" epub:type="backlink">↩</a></p></li>'
    "</ol></section></body>",
)
COLOPHON = (
    "colophon.xhtml",
    '<body><section epub:type="colophon"><p>Set in a typeface.</p></section></body>',
)


def _book(*documents: tuple[str, str]):
    return parse_reading(make_epub(list(documents)), "book.epub")


def test_it_follows_the_spine_and_skips_front_and_back_matter():
    reading = _book(
        TITLEPAGE, IMPRINT, PREFACE, HALFTITLE, CHAPTER_1, TWO_CHAPTERS, ENDNOTES, COLOPHON
    )
    assert reading.title == "A Small Book"
    assert reading.author == "Ann Author"
    assert reading.language == "en-GB"
    assert reading.format == "epub"
    assert titles(reading) == ["Preface", "I: The Start", "II", "III", "Endnotes"]
    assert_invariant(reading)


def test_sections_give_passages_of_the_right_kinds():
    reading = _book(PREFACE, CHAPTER_1, TWO_CHAPTERS, ENDNOTES)
    preface, chapter, two, three, notes = reading.chapters
    assert [p.text for p in preface.passages] == ["Why this book.", "The Editor"]
    assert preface.passages[0].html == "Why this <em>book</em>."
    assert [(p.kind, p.text) for p in chapter.passages] == [
        ("heading", "I: The Start1"),  # the title, kept for its note reference
        ("paragraph", "Once2 upon."),
        ("verse", "A line\nAnother"),
        ("list_item", "Item"),
    ]
    assert [(p.kind, p.text) for p in three.passages] == [
        ("heading", "Inner"),
        ("paragraph", "Three."),
    ]


def test_note_references_link_to_endnotes_and_back():
    reading = _book(PREFACE, CHAPTER_1, ENDNOTES)
    chapter, notes = reading.chapters[1], reading.chapters[2]
    assert chapter.passages[1].html == (
        'Once<sup><a class="noteref" id="noteref-2" href="../3/#note-2" '
        'role="doc-noteref">2</a></sup> upon.'
    )
    assert [(p.kind, p.text) for p in notes.passages] == [
        ("note", "1. On the title."),
        ("note", "2. On once."),
        ("note", "More on once."),
    ]
    assert notes.passages[1].html.startswith(
        '<a class="noteback" id="note-2" href="../2/#noteref-2" role="doc-backlink">2.</a>'
    )


def test_a_note_referenced_from_a_chapter_title_links_both_ways():
    reading = _book(PREFACE, CHAPTER_1, ENDNOTES)
    chapter, notes = reading.chapters[1], reading.chapters[2]
    assert chapter.title == "I: The Start"  # the contents show the title without the number
    assert chapter.passages[0].kind == "heading"
    assert chapter.passages[0].html == (
        'I: The Start<sup><a class="noteref" id="noteref-1" href="../3/#note-1" '
        'role="doc-noteref">1</a></sup>'
    )
    assert notes.passages[0].html.startswith(
        '<a class="noteback" id="note-1" href="../2/#noteref-1" role="doc-backlink">1.</a>'
    )
    assert_invariant(reading)


def test_a_title_without_a_note_reference_is_not_repeated_as_a_passage():
    reading = _book(TWO_CHAPTERS)
    assert [p.kind for p in reading.chapters[0].passages] == ["paragraph"]


def test_a_zip_that_is_not_an_epub_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ReadingImportError, match="EPUB file is broken"):
        parse_reading(buffer.getvalue(), "book.epub")


def test_an_epub_that_is_not_a_zip_is_refused():
    with pytest.raises(ReadingImportError, match="not a zip archive"):
        parse_reading(b"just some text, not a zip", "book.epub")


def test_a_truncated_epub_is_refused():
    data = make_epub([CHAPTER_1])
    with pytest.raises(ReadingImportError):
        parse_reading(data[: len(data) // 2], "book.epub")


def test_an_epub_without_text_is_refused():
    with pytest.raises(ReadingImportError, match="No paragraphs"):
        _book(TITLEPAGE, COLOPHON)


def test_rights_and_sources_give_the_licence_and_the_source():
    data = make_epub(
        [CHAPTER_1],
        metadata="<dc:rights>Released under CC0 1.0.</dc:rights>"
        "<dc:source>https://www.gutenberg.org/ebooks/61</dc:source>"
        "<dc:source>https://archive.org/details/x</dc:source>",
    )
    reading = parse_reading(data, "book.epub")
    assert reading.licence == "Released under CC0 1.0."
    assert reading.source_note == (
        "Tiny Press (from https://www.gutenberg.org/ebooks/61, https://archive.org/details/x)"
    )


def test_long_rights_are_cut_to_their_first_sentence():
    rights = "The text is believed to be in the public domain. " + "More words here. " * 40
    reading = parse_reading(
        make_epub([CHAPTER_1], metadata=f"<dc:rights>{rights}</dc:rights>"), "book.epub"
    )
    assert reading.licence == "The text is believed to be in the public domain."


def test_without_rights_the_licence_stays_empty():
    reading = _book(CHAPTER_1)
    assert (reading.source_note, reading.licence) == ("Tiny Press", "")
