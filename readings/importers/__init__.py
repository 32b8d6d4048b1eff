"""Importers: a file's bytes → a `ParsedReading` (pure functions, no database).

`parse_reading` picks the importer from the format (forced), else a clear signature in the
content (EPUB, HTML), the file name, or a closer look at the content.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from .article import looks_like_article, parse_article
from .base import (
    PASSAGE_KINDS,
    ParsedChapter,
    ParsedPassage,
    ParsedReading,
    ReadingImportError,
)
from .charsets import declared_in_html, declared_in_text
from .decode import check_not_empty, check_size, decode_text
from .epub import parse_epub
from .html import parse_html
from .limits import ImportLimits, import_budget
from .markdown import looks_like_markdown, parse_markdown
from .pdf import parse_pdf
from .plaintext import parse_plaintext

FORMATS = ("text", "markdown", "epub", "html", "article", "pdf")

_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".epub": "epub",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
}

__all__ = [
    "FORMATS",
    "ImportLimits",
    "PASSAGE_KINDS",
    "ParsedChapter",
    "ParsedPassage",
    "ParsedReading",
    "ReadingImportError",
    "detect_format",
    "parse_reading",
]


def _html_prolog_stripped(head: str) -> str:
    start = head.lstrip("\ufeff \t\r\n").lower()
    if start.startswith("<?xml"):
        start = start[start.find("?>") + 2 :].lstrip()
    return start


def _starts_as_html(head: str) -> bool:
    """A clear HTML signature: the document opens with `<!doctype html` or `<html`."""
    return _html_prolog_stripped(head).startswith(("<!doctype html", "<html"))


def _looks_like_html(head: str) -> bool:
    return _starts_as_html(head) or "<html" in _html_prolog_stripped(head)[:1000]


_EPUB_MIMETYPE = b"application/epub+zip"


def _is_epub(data: bytes) -> bool:
    """A clear EPUB signature: a zip holding `mimetype` = application/epub+zip.

    Only the first bytes of `mimetype` are inflated, whatever its header claims: a
    `mimetype` that inflates to gigabytes costs no more than a real one.
    """
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with (
            zipfile.ZipFile(io.BytesIO(data)) as archive,
            archive.open("mimetype") as member,
        ):
            mimetype = member.read(len(_EPUB_MIMETYPE) + 64)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return False
    return mimetype.strip() == _EPUB_MIMETYPE


def detect_format(data: bytes, filename: str = "") -> str:
    """The format from a clear signature in the content, else the file name's extension,
    else a closer look at the content.

    An EPUB (a zip whose `mimetype` says application/epub+zip), a PDF ("%PDF-" in its first
    kilobyte) or a document opening with `<!doctype html` / `<html` is taken for what it is
    whatever its name says, so HTML saved as .txt is not imported as markup and an EPUB
    renamed .txt is not refused as binary. An HTML page that is an article on a site (its
    metadata says so, or an `<article>` sits among navigation, a sidebar or comments:
    `article.looks_like_article`) is read as a web article: the article alone.
    """
    if _is_epub(data):
        return "epub"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    head = data[:4096].decode("utf-8", errors="replace")
    if _starts_as_html(head):
        return "article" if looks_like_article(data) else "html"
    suffix = PurePath(filename).suffix.lower()
    if suffix in _EXTENSIONS:
        found = _EXTENSIONS[suffix]
        return "article" if found == "html" and looks_like_article(data) else found
    if data.startswith(b"PK\x03\x04"):
        return "epub"
    if _looks_like_html(head):
        return "article" if looks_like_article(data) else "html"
    if b"\x00" not in data[:4096] and looks_like_markdown(data[:65536].decode("utf-8", "replace")):
        return "markdown"
    return "text"


def parse_reading(
    data: bytes,
    filename: str = "",
    format: str | None = None,
    max_bytes: int | None = None,
    limits: ImportLimits | None = None,
    charset: str = "",
) -> ParsedReading:
    """Parse an uploaded file into a `ParsedReading`, or raise `ReadingImportError`.

    `format` forces one of FORMATS; `max_bytes` refuses larger files before any parsing;
    `limits` bounds the work (by default the settings', see `readings.importers.limits`).
    Text formats are decoded in the encoding they declare (`charsets`), else by BOM or UTF-8;
    `charset`, an encoding named outside the file (a web server's Content-Type), comes first.
    """
    check_size(data, max_bytes)
    check_not_empty(data)
    if format is not None and format not in FORMATS:
        raise ReadingImportError(f"Unknown format “{format}”; choose one of: {', '.join(FORMATS)}.")
    with import_budget(limits):
        chosen = format or detect_format(data, filename)
        if chosen == "epub":
            return parse_epub(data, filename)
        if chosen == "pdf":
            return parse_pdf(data, filename)
        if chosen in ("html", "article"):
            text = decode_text(data, charset or declared_in_html(data))
            parse = parse_article if chosen == "article" else parse_html
            return parse(text, filename)
        text = decode_text(data, charset or declared_in_text(data))
        if chosen == "markdown":
            return parse_markdown(text, filename)
        return parse_plaintext(text, filename)
