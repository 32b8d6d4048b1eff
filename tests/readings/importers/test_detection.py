"""parse_reading picks the importer from the name, the content, or the forced format."""

from __future__ import annotations

import io
import zipfile

import pytest

from readings.importers import FORMATS, ReadingImportError, detect_format, parse_reading

from .support import make_epub

CHAPTER = (
    "c.xhtml",
    "<body><section epub:type='chapter'><h2>One</h2><p>Text.</p></section></body>",
)


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("a.txt", "text"),
        ("a.md", "markdown"),
        ("a.markdown", "markdown"),
        ("a.EPUB", "epub"),
        ("a.html", "html"),
        ("a.htm", "html"),
    ],
)
def test_the_extension_decides(filename, expected):
    assert detect_format(b"# Heading\n\nText.", filename) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"PK\x03\x04rest", "epub"),
        (b"  <!DOCTYPE html><html><p>x</p></html>", "html"),
        (b"<html lang='en'><p>x</p></html>", "html"),
        (b"---\ntitle: X\n---\n\nText.", "markdown"),
        (b"Intro\n\n## A heading\n\nText.", "markdown"),
        (b"Title\n\nJust text, # not a heading.", "text"),
    ],
)
def test_without_a_known_extension_the_content_decides(data, expected):
    assert detect_format(data, "upload") == expected


def test_formats_are_the_importers():
    assert FORMATS == ("text", "markdown", "epub", "html", "article", "pdf")


def test_format_can_be_forced():
    data = b"# Not a heading in text mode\n\nBody."
    assert parse_reading(data, "x.md", format="text").format == "text"
    assert parse_reading(data, "x.txt", format="markdown").format == "markdown"
    assert parse_reading(make_epub([CHAPTER]), "book.bin", format="epub").format == "epub"
    assert parse_reading(b"<p>Hi</p>", "x.txt", format="html").format == "html"


def test_an_unknown_forced_format_is_refused():
    with pytest.raises(ReadingImportError, match="Unknown format"):
        parse_reading(b"text", "x.txt", format="docx")


def test_detected_formats_are_recorded_on_the_reading():
    assert parse_reading(b"Title\n\nText.", "notes").format == "text"
    assert parse_reading(b"# Title\n\n## A\n\nText.", "notes").format == "markdown"
    assert parse_reading(b"<!doctype html><p>Text.</p>", "notes").format == "html"
    assert parse_reading(make_epub([CHAPTER]), "upload").format == "epub"


def test_html_saved_as_txt_is_read_as_html():
    data = (
        b"<!DOCTYPE html>\n<html><body><h1>Essay</h1><p>The <em>first</em> words.</p></body></html>"
    )
    assert detect_format(data, "essay.txt") == "html"
    reading = parse_reading(data, "essay.txt")
    assert reading.format == "html"
    passage = reading.chapters[0].passages[0]
    assert passage.text == "The first words."
    assert passage.html == "The <em>first</em> words."


def test_an_epub_renamed_txt_is_read_as_an_epub():
    data = make_epub([CHAPTER])
    assert detect_format(data, "book.txt") == "epub"
    reading = parse_reading(data, "book.txt")
    assert reading.format == "epub"
    assert reading.chapters[0].passages[-1].text == "Text."


def test_a_zip_that_is_not_an_epub_keeps_the_extension():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert detect_format(buffer.getvalue(), "archive.txt") == "text"


def test_text_that_merely_mentions_html_keeps_its_extension():
    data = b"Title\n\nSome prose about the <html> element and <!doctype html>.\n"
    assert detect_format(data, "notes.txt") == "text"
    assert detect_format(data, "notes.md") == "markdown"


def test_a_forced_format_beats_the_signature():
    data = b"<!doctype html><p>Shown as markup.</p>"
    reading = parse_reading(data, "page.txt", format="text")
    assert reading.format == "text"
    assert "<p>" in reading.chapters[0].passages[0].text
