"""Importers: a file's bytes → a `ParsedReading` (pure functions, no database).

`parse_reading` picks the importer from the format (forced), the file name, or the content.
"""

from __future__ import annotations

from pathlib import PurePath

from .base import (
    PASSAGE_KINDS,
    ParsedChapter,
    ParsedPassage,
    ParsedReading,
    ReadingImportError,
)
from .decode import check_not_empty, check_size, decode_text
from .epub import parse_epub
from .html import parse_html
from .markdown import looks_like_markdown, parse_markdown
from .plaintext import parse_plaintext

FORMATS = ("text", "markdown", "epub", "html")

_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".epub": "epub",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}

__all__ = [
    "FORMATS",
    "PASSAGE_KINDS",
    "ParsedChapter",
    "ParsedPassage",
    "ParsedReading",
    "ReadingImportError",
    "detect_format",
    "parse_reading",
]


def _looks_like_html(head: str) -> bool:
    start = head.lstrip("\ufeff \t\r\n").lower()
    if start.startswith("<?xml"):
        start = start[start.find("?>") + 2 :].lstrip()
    return start.startswith(("<!doctype html", "<html")) or "<html" in start[:1000]


def detect_format(data: bytes, filename: str = "") -> str:
    """The format from the file name's extension, else from the content."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if data.startswith(b"PK\x03\x04"):
        return "epub"
    head = data[:4096].decode("utf-8", errors="replace")
    if _looks_like_html(head):
        return "html"
    if b"\x00" not in data[:4096] and looks_like_markdown(data[:65536].decode("utf-8", "replace")):
        return "markdown"
    return "text"


def parse_reading(
    data: bytes,
    filename: str = "",
    format: str | None = None,
    max_bytes: int | None = None,
) -> ParsedReading:
    """Parse an uploaded file into a `ParsedReading`, or raise `ReadingImportError`.

    `format` forces one of FORMATS; `max_bytes` refuses larger files before any parsing.
    """
    check_size(data, max_bytes)
    check_not_empty(data)
    if format is not None and format not in FORMATS:
        raise ReadingImportError(f"Unknown format “{format}”; choose one of: {', '.join(FORMATS)}.")
    chosen = format or detect_format(data, filename)
    if chosen == "epub":
        return parse_epub(data, filename)
    text = decode_text(data)
    if chosen == "html":
        return parse_html(text, filename)
    if chosen == "markdown":
        return parse_markdown(text, filename)
    return parse_plaintext(text, filename)
