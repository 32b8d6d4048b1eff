"""Hostile files are refused within bounded time and memory, naming the limit they passed."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable

import pytest

from readings.importers import ImportLimits, ReadingImportError, detect_format, parse_reading

from .bombs import MiB, chapter, deflated, epub, pdf_stream_bomb, stored, write_zip
from .support import make_epub


def peak_memory(work: Callable[[], object]) -> tuple[int, float, object]:
    """(peak bytes allocated, seconds, result or the exception raised) of running `work`."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = work()
    except Exception as error:  # noqa: BLE001 - the test looks at what was raised
        result = error
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, seconds, result


@pytest.fixture(scope="module")
def mimetype_bomb() -> bytes:
    """A 2 MB EPUB whose `mimetype` inflates to 2 GiB (the probe's file)."""
    mimetype = deflated("mimetype", [(bytes(16 * MiB), 128)], crc=False)
    return epub([chapter("a.xhtml", b"<p>Some text.</p>", 1)], mimetype=mimetype)


def test_the_sniffer_reads_no_more_of_mimetype_than_it_needs(mimetype_bomb):
    assert len(mimetype_bomb) < 3 * MiB
    peak, seconds, result = peak_memory(lambda: detect_format(mimetype_bomb, "book.epub"))
    assert result == "epub"
    assert peak < 2 * MiB
    assert seconds < 1


def test_an_epub_whose_mimetype_inflates_to_2_gib_is_refused_naming_the_limit(mimetype_bomb):
    peak, seconds, error = peak_memory(lambda: parse_reading(mimetype_bomb, "book.epub"))
    assert isinstance(error, ReadingImportError)
    assert str(error) == (
        "The archive's files are too large taken together (2 GB uncompressed); the limit is "
        "64 MB uncompressed (READING_IMPORT_MAX_UNCOMPRESSED_BYTES)."
    )
    assert peak < 16 * MiB
    assert seconds < 2


def test_forty_members_of_45_mb_are_refused_before_any_is_read():
    members = [chapter(f"c{n}.xhtml", b"<p>a</p>", 45 * MiB // 8, crc=False) for n in range(40)]
    data = epub(members)
    assert len(data) < 6 * MiB
    peak, seconds, error = peak_memory(lambda: parse_reading(data, "many.epub"))
    assert isinstance(error, ReadingImportError)
    assert "READING_IMPORT_MAX_UNCOMPRESSED_BYTES" in str(error)
    assert peak < 16 * MiB
    assert seconds < 2


def test_a_member_over_the_per_file_limit_is_named():
    data = epub([chapter("big.xhtml", b"<p>a</p>", 3 * MiB // 8, crc=False)])
    limits = ImportLimits(member_bytes=2 * MiB, total_bytes=64 * MiB)
    with pytest.raises(ReadingImportError) as error:
        parse_reading(data, "big.epub", limits=limits)
    assert str(error.value) == (
        "The archive holds a file too large to read (OEBPS/big.xhtml); the limit is 2 MB "
        "uncompressed per file (READING_IMPORT_MAX_MEMBER_BYTES)."
    )


def test_members_each_under_their_bound_are_bounded_together():
    paragraph = b"<p>" + b"word " * 200 + b"</p>"
    members = [chapter(f"c{n}.xhtml", paragraph, MiB // len(paragraph) + 1) for n in range(3)]
    data = epub(members)
    roomy = ImportLimits(member_bytes=2 * MiB, total_bytes=4 * MiB, passages=10**6)
    assert len(parse_reading(data, "ok.epub", limits=roomy).chapters) == 3
    tight = ImportLimits(member_bytes=2 * MiB, total_bytes=int(2.5 * MiB), passages=10**6)
    with pytest.raises(ReadingImportError) as error:
        parse_reading(data, "ok.epub", limits=tight)
    assert str(error.value).endswith(
        "the limit is 2.5 MB uncompressed (READING_IMPORT_MAX_UNCOMPRESSED_BYTES)."
    )


def test_a_member_whose_header_lies_about_its_size_is_never_inflated_beyond_it():
    member = chapter("liar.xhtml", b"<p>a</p>", 64 * MiB // 8, crc=False)
    member.declared_size = 1000
    data = epub([member])
    peak, _seconds, error = peak_memory(lambda: parse_reading(data, "liar.epub"))
    assert isinstance(error, ReadingImportError)
    assert str(error) == (
        "The EPUB file is broken (OEBPS/liar.xhtml cannot be read); export it again and retry."
    )
    assert peak < 8 * MiB


def test_too_many_members_are_refused_from_the_directory():
    members = [stored(f"OEBPS/img{n}.png", b"x") for n in range(60)]
    data = write_zip([stored("mimetype", b"application/epub+zip"), *members])
    with pytest.raises(ReadingImportError) as error:
        parse_reading(data, "crowded.epub", limits=ImportLimits(members=50))
    assert str(error.value) == (
        "The archive holds too many files (61); the limit is 50 files (READING_IMPORT_MAX_MEMBERS)."
    )


def test_too_many_passages_in_an_epub_are_refused():
    data = epub([chapter("a.xhtml", b"<p>a</p>", 5_000)])
    peak, _seconds, error = peak_memory(
        lambda: parse_reading(data, "chatty.epub", limits=ImportLimits(passages=1_000))
    )
    assert isinstance(error, ReadingImportError)
    assert str(error) == (
        "The file holds too many passages; the limit is 1,000 passages per reading "
        "(READING_IMPORT_MAX_PASSAGES)."
    )


def test_too_many_elements_are_refused_while_the_tree_is_built():
    data = epub([chapter("a.xhtml", b"<i>a</i>", 50_000)])
    with pytest.raises(ReadingImportError, match=r"READING_IMPORT_MAX_ELEMENTS\)\.$"):
        parse_reading(data, "deep.epub", limits=ImportLimits(elements=10_000))


def test_a_passage_over_the_character_limit_is_refused():
    text = ("Title\n\n" + "word " * 30_000).encode()
    with pytest.raises(ReadingImportError) as error:
        parse_reading(text, "long.txt", limits=ImportLimits(passage_chars=100_000))
    assert str(error.value) == (
        "A passage is too long (150,000 characters); the limit is 100,000 characters per "
        "passage (READING_IMPORT_MAX_PASSAGE_CHARS)."
    )


@pytest.mark.parametrize("filename", ["many.txt", "many.md"])
def test_a_million_tiny_paragraphs_are_refused_in_bounded_memory(filename):
    data = b"Title\n\n" + b"a\n\n" * 1_000_000
    peak, seconds, error = peak_memory(lambda: parse_reading(data, filename))
    assert str(error) == (
        "The file holds too many passages; the limit is 100,000 passages per reading "
        "(READING_IMPORT_MAX_PASSAGES)."
    )
    assert peak < 120 * MiB
    assert seconds < 10


def test_an_html_page_of_tiny_paragraphs_is_refused_in_bounded_memory():
    data = b"<html><body>" + b"<p>a</p>" * 200_000 + b"</body></html>"
    limits = ImportLimits(elements=50_000)
    peak, _seconds, error = peak_memory(lambda: parse_reading(data, "many.html", limits=limits))
    assert str(error) == (
        "The file holds too many HTML elements; the limit is 50,000 elements "
        "(READING_IMPORT_MAX_ELEMENTS)."
    )
    assert peak < 64 * MiB


def test_parsing_past_the_time_limit_stops_naming_it():
    data = ("Title\n\n" + "A paragraph of words.\n\n" * 3_000).encode()
    with pytest.raises(ReadingImportError) as error:
        parse_reading(data, "slow.txt", limits=ImportLimits(seconds=0))
    assert str(error.value) == (
        "Reading the file took too long; the limit is 0 seconds (READING_IMPORT_MAX_SECONDS)."
    )


def test_the_limits_come_from_the_settings(settings):
    settings.READING_IMPORT_MAX_PASSAGES = 2
    data = make_epub([("a.xhtml", "<body><p>One.</p><p>Two.</p><p>Three.</p></body>")])
    with pytest.raises(ReadingImportError, match="the limit is 2 passages per reading"):
        parse_reading(data, "three.epub")


def test_an_ordinary_epub_is_read_whole():
    data = make_epub([("a.xhtml", "<body><h1>One</h1><p>Text.</p></body>")])
    assert parse_reading(data, "fine.epub").chapters[0].passages[0].text == "Text."


def test_a_pdf_stream_that_inflates_to_a_gibibyte_is_refused_naming_the_limit():
    data = pdf_stream_bomb(1024)
    assert len(data) < 2 * MiB
    peak, seconds, error = peak_memory(lambda: parse_reading(data, "bomb.pdf"))
    assert str(error) == (
        "The PDF holds a stream too large to read; the limit is 16 MB uncompressed per stream "
        "(READING_IMPORT_MAX_MEMBER_BYTES)."
    )
    assert peak < 64 * MiB
    assert seconds < 5
