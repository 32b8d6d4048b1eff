"""Declared encodings are honoured: the declaration, then a BOM, then UTF-8, else a message."""

from __future__ import annotations

import pytest

from readings.importers import ReadingImportError, parse_reading

from .support import make_epub

BODY = "<body><h1>Candide</h1><p>Cunégonde said “yes” — à bientôt.</p></body>"
EXPECTED = "Cunégonde said “yes” — à bientôt."


def first_text(reading) -> str:
    return next(p.text for c in reading.chapters for p in c.passages if p.kind == "paragraph")


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="iso-8859-1">',
        "<meta charset=ISO-8859-1>",
        '<meta http-equiv="Content-Type" content="text/html;charset=iso-8859-1" />',
        '<meta http-equiv="content-type" content="text/html; charset=windows-1252">',
    ],
)
def test_html_declaring_latin_1_in_a_meta_is_read_as_declared(head):
    page = f"<!DOCTYPE html><html><head>{head}<title>Candide</title></head>{BODY}</html>"
    reading = parse_reading(page.encode("cp1252"), "candide.html")
    assert first_text(reading) == EXPECTED


def test_an_xml_declaration_names_the_encoding():
    page = f'<?xml version="1.0" encoding="ISO-8859-1"?>\n<html>{BODY}</html>'
    assert first_text(parse_reading(page.encode("cp1252"), "page.xhtml")) == EXPECTED


def test_latin_1_labels_read_curly_quotes_as_windows_1252_does():
    """Bytes 0x93 and 0x94 are the curly quotes in files labelled iso-8859-1, as browsers
    read them; Latin-1 proper would make them invisible control characters."""
    page = b'<html><head><meta charset="iso-8859-1"></head><body><p>\x93Yes,\x94 she said.</p>'
    assert first_text(parse_reading(page + b"</body></html>", "q.html")) == "“Yes,” she said."


def test_a_plain_text_header_declaring_its_encoding_is_honoured():
    text = (
        "Title: Candide\n\nAuthor: Voltaire\n\nCharacter set encoding: ISO-8859-1\n\n"
        "*** START OF THIS PROJECT GUTENBERG EBOOK CANDIDE ***\n\n\n"
        f"{EXPECTED}\n\n*** END OF THIS PROJECT GUTENBERG EBOOK CANDIDE ***\n"
    )
    reading = parse_reading(text.encode("cp1252"), "candide.txt")
    assert reading.title == "Candide"
    assert first_text(reading) == EXPECTED


def test_xhtml_inside_an_epub_is_read_in_its_declared_encoding():
    data = make_epub([("a.xhtml", BODY)], encoding="cp1252")
    assert b'encoding="cp1252"' in data
    assert first_text(parse_reading(data, "book.epub")) == EXPECTED


def test_without_a_declaration_utf_8_is_tried():
    page = f"<html>{BODY}</html>".encode()
    assert first_text(parse_reading(page, "page.html")) == EXPECTED


def test_a_byte_order_mark_comes_after_the_declaration():
    text = "Title\n\nA café.".encode("utf-16")
    assert first_text(parse_reading(text, "wide.txt")) == "A café."


def test_a_declared_encoding_the_bytes_do_not_fit_falls_back_to_utf_8():
    page = f'<html><head><meta charset="shift_jis"></head>{BODY}</html>'.encode()
    assert first_text(parse_reading(page, "page.html")) == EXPECTED


def test_an_unknown_declared_encoding_is_named_when_nothing_reads_the_file():
    page = f'<html><head><meta charset="x-klingon"></head>{BODY}</html>'.encode("cp1252")
    with pytest.raises(ReadingImportError) as error:
        parse_reading(page, "page.html")
    assert str(error.value).startswith(
        "The file declares the encoding “x-klingon”, which is not one we know, and it is not "
        "valid UTF-8 either (byte 0xE9 at position"
    )


def test_undeclared_latin_1_is_refused_naming_the_byte():
    with pytest.raises(ReadingImportError) as error:
        parse_reading(f"<html>{BODY}</html>".encode("cp1252"), "page.html")
    assert str(error.value).startswith("The file is not valid UTF-8 (byte 0xE9 at position ")
