"""Project Gutenberg's header and licence: where the book starts and ends, and what the
header says about it (title, author, language, eBook number, copyright).

Plain text, HTML and PDF editions share the markers: "*** START OF THE PROJECT GUTENBERG
EBOOK ... ***" (old files also "*END*THE SMALL PRINT") and "*** END OF ..." or "End of the
Project Gutenberg EBook of ...". Everything before the start and after the end is
Gutenberg's, not the book's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .inline import collapse

START = re.compile(
    r"^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?(?:BOOK|TEXT).*$"
    r"|^\s*\*END\*\s*THE SMALL PRINT.*$",
    re.IGNORECASE | re.MULTILINE,
)
END = re.compile(
    r"^\s*\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?(?:BOOK|TEXT)"
    r"|^\s*End of (?:the |this )?Project Gutenberg(?:'s|’s)?\s+(?:E-?(?:Book|text)|work)?",
    re.IGNORECASE | re.MULTILINE,
)
_PG_TITLE_LINE = re.compile(r"^Title:\s*(.+(?:\n[ \t]+\S.*)*)", re.MULTILINE)
_PG_AUTHOR_LINE = re.compile(r"^Author:\s*(.+)", re.MULTILINE)
_PG_LANGUAGE_LINE = re.compile(r"^Language:\s*(.+)", re.MULTILINE)
_PG_FIRST_LINE = re.compile(
    r"Project Gutenberg(?:'s|’s)? E-?(?:Book|text) of (.+?)(?:,\s*by\s+(.+?))?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
CREDIT = re.compile(
    r"^\s*(?:Produced|Transcribed|Prepared|E-?text prepared|Scanned|Proofread)\b.*\bby\b",
    re.IGNORECASE,
)
_PG_NUMBER = re.compile(r"\[\s*E-?(?:Book|text)\s*#\s*(\d+)\s*\]", re.IGNORECASE)
_PG_COPYRIGHT = re.compile(
    r"^[ \t]*(?:Copyright|©)[ \t]*(?:\(c\)|©)?[ \t]*(?:\d{4}).*$", re.IGNORECASE | re.MULTILINE
)
PUBLIC_DOMAIN_USA = "Public domain in the USA"
_LANGUAGES = {"english": "en", "french": "fr", "german": "de", "spanish": "es", "italian": "it"}


@dataclass
class GutenbergMeta:
    title: str = ""
    author: str = ""
    language: str = ""
    gutenberg: bool = False
    source: str = ""
    licence: str = ""


def strip_gutenberg(text: str) -> tuple[GutenbergMeta, str]:
    """(what the header says, the book between the markers); a text without them is all
    book."""
    meta = GutenbergMeta()
    start = START.search(text)
    if start is None and not text.lstrip().lower().startswith("the project gutenberg"):
        return meta, text
    header = text[: start.start()] if start else text[:3000]
    meta = parse_header(header)
    body_start = start.end() if start else 0
    # Old files say "*END*THE SMALL PRINT" after their own START line: cut there too.
    while (again := START.search(text, body_start)) and again.start() - body_start < 20000:
        body_start = again.end()
    end = END.search(text, body_start)
    body = text[body_start : end.start() if end else len(text)]
    return meta, body


def parse_header(header: str) -> GutenbergMeta:
    """What a Gutenberg header says: "Title:", "Author:", "Language:", the eBook number (the
    source), and the licence — public domain in the USA unless it names a copyright."""
    meta = GutenbergMeta(gutenberg=True)
    if title := _PG_TITLE_LINE.search(header):
        meta.title = collapse(title.group(1))
    if author := _PG_AUTHOR_LINE.search(header):
        meta.author = collapse(author.group(1))
    if language := _PG_LANGUAGE_LINE.search(header):
        meta.language = _LANGUAGES.get(collapse(language.group(1)).lower(), "")
    number = _PG_NUMBER.search(header)
    meta.source = f"Project Gutenberg eBook #{number.group(1)}" if number else "Project Gutenberg"
    # Gutenberg's books are public domain in the USA unless the header says whose copyright
    # the text is under ("Copyright (C) 2003 by ...").
    copyright_line = _PG_COPYRIGHT.search(header)
    meta.licence = collapse(copyright_line.group()) if copyright_line else PUBLIC_DOMAIN_USA
    if not meta.title and (first := _PG_FIRST_LINE.search(header)):
        meta.title = collapse(first.group(1))
        meta.author = meta.author or collapse(first.group(2) or "")
    if not meta.title:
        first_line = collapse(header.strip().split("\n", 1)[0])
        if first_line and "gutenberg" not in first_line.lower() and len(first_line) <= 100:
            meta.title = first_line
    return meta


_TITLE = re.compile(
    r"^(?:the\s+)?project\s+gutenberg(?:['’]s)?\s+e-?(?:book|text)\s+(?:#\d+:\s*|of\s+)"
    r"(?P<title>.+?)(?:,\s+by\s+(?P<author>.+?))?\.?$",
    re.IGNORECASE,
)


def split_title(title: str) -> tuple[str, str]:
    """(title, author) from a document title as Gutenberg writes it — "The Project Gutenberg
    eBook of Candide, by Voltaire.", "The Project Gutenberg eBook #41568: An Introduction to
    Mathematics." — or (title, "") for any other title."""
    title = collapse(title)
    if match := _TITLE.match(title):
        return collapse(match.group("title")), collapse(match.group("author") or "")
    return title, ""
