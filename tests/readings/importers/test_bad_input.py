"""Bad files are refused with one clear message."""

from __future__ import annotations

import pytest

from readings.importers import ReadingImportError, parse_reading
from readings.importers.decode import too_large_message


@pytest.mark.parametrize("data", [b"", b"   \n\n  \t", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\n"])
def test_an_empty_file_is_refused(data):
    with pytest.raises(ReadingImportError, match=r"^The file is empty\.$"):
        parse_reading(data, "empty.txt")


def test_a_binary_file_is_refused():
    with pytest.raises(ReadingImportError, match="looks binary"):
        parse_reading(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "picture.txt")


def test_control_characters_mean_binary():
    with pytest.raises(ReadingImportError, match="looks binary"):
        parse_reading(bytes(range(1, 32)) * 4, "data.txt")


def test_undecodable_bytes_name_the_byte_and_its_position():
    data = "Café au lait.".encode("latin-1")
    with pytest.raises(ReadingImportError) as error:
        parse_reading(data, "latin.txt")
    assert str(error.value) == (
        "The file is not valid UTF-8 (byte 0xE9 at position 3); save it as UTF-8 and try again."
    )


def test_utf16_with_a_bom_is_read():
    reading = parse_reading("Title\n\nHello.".encode("utf-16"), "wide.txt")
    assert reading.chapters[0].passages[0].text == "Hello."


def test_a_file_over_the_limit_names_the_limit_in_megabytes():
    limit = 2 * 1024 * 1024
    with pytest.raises(ReadingImportError) as error:
        parse_reading(b"x" * (3 * 1024 * 1024), "big.txt", max_bytes=limit)
    assert str(error.value) == "The file is too large (3 MB); the limit is 2 MB."
    assert parse_reading(b"Title\n\nSmall.", "small.txt", max_bytes=limit)


@pytest.mark.parametrize(
    ("size", "limit", "message"),
    [
        (25 * 1024 * 1024, 20 * 1024 * 1024, "The file is too large (25 MB); the limit is 20 MB."),
        (
            int(20.3 * 1024 * 1024),
            20 * 1024 * 1024,
            "The file is too large (20.3 MB); the limit is 20 MB.",
        ),
        (
            20 * 1024 * 1024 + 1,
            20 * 1024 * 1024,
            "The file is too large (over 20 MB); the limit is 20 MB.",
        ),
        (1_600_000, 1024 * 1024, "The file is too large (1.5 MB); the limit is 1 MB."),
        (60_000, 50_000, "The file is too large (59 kB); the limit is 49 kB."),
    ],
)
def test_sizes_are_rounded_for_people(size, limit, message):
    assert too_large_message(size, limit) == message


def test_the_default_limit_reads_20_mb(settings):
    with pytest.raises(ReadingImportError, match=r"; the limit is 20 MB\.$"):
        parse_reading(
            b"x" * (settings.READING_UPLOAD_MAX_BYTES + 1),
            "big.txt",
            max_bytes=settings.READING_UPLOAD_MAX_BYTES,
        )


def test_a_single_line_is_a_paragraph_not_a_missing_text():
    reading = parse_reading(b"Hello world.", "hello.txt")
    assert reading.title == "hello"
    assert reading.chapters[0].passages[0].text == "Hello world."


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"[Illustration: only a picture]\n\n[Illustration]", "t.txt"),
        (b"# Heading\n\n## Another", "t.md"),
        (b"<html><head><title>T</title><script>x()</script></head><body></body></html>", "t.html"),
        (b"<html><body><nav><p>Menu</p></nav></body></html>", "t.html"),
    ],
)
def test_a_file_without_paragraphs_is_refused(data, filename):
    with pytest.raises(ReadingImportError, match="No paragraphs"):
        parse_reading(data, filename)


def test_broken_epubs_are_refused():
    with pytest.raises(ReadingImportError, match="not a zip archive"):
        parse_reading(b"PK\x03\x04 but not really a zip", "book.epub")
