"""Readings built by hand (ParsedReading objects), and a tiny stand-in importer.

The stand-in lets the upload, admin and command tests exercise our saving and flows without
depending on the real importers' rules: "# " lines start chapters, blank lines separate
paragraphs, "> " lines are quotes; empty or undecodable files raise ReadingImportError.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils.html import escape

from readings.importers.base import (
    ParsedChapter,
    ParsedPassage,
    ParsedReading,
    ReadingImportError,
)
from readings.models import Reading
from readings.services import save_parsed_reading


def passage(text: str, kind: str = "paragraph") -> ParsedPassage:
    return ParsedPassage(kind=kind, text=text, html=str(escape(text)))


def make_parsed(
    chapters: dict[str, list[str | ParsedPassage]],
    title: str = "A Test Reading",
    author: str = "Ann Author",
) -> ParsedReading:
    return ParsedReading(
        title=title,
        author=author,
        chapters=[
            ParsedChapter(
                title=chapter_title,
                passages=[p if isinstance(p, ParsedPassage) else passage(p) for p in passages],
            )
            for chapter_title, passages in chapters.items()
        ],
        format="text",
    )


def paragraphs(n: int, prefix: str = "Paragraph") -> list[str]:
    return [
        f"{prefix} {i} says something about reading together here, number {i}." for i in range(n)
    ]


def fake_parse_reading(
    data: bytes,
    filename: str = "",
    format: str | None = None,
    max_bytes: int | None = None,
    charset: str = "",
) -> ParsedReading:
    if max_bytes is not None and len(data) > max_bytes:
        raise ReadingImportError("The file is too large.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReadingImportError("The file is not UTF-8 text.") from error
    if not text.strip():
        raise ReadingImportError("The file is empty.")
    lines = text.strip().split("\n\n")
    title, chapters = lines[0].strip(), []
    for block in lines[1:]:
        block = block.strip()
        if block.startswith("# "):
            chapters.append(ParsedChapter(title=block[2:]))
            continue
        if not chapters:
            chapters.append(ParsedChapter(title=""))
        if block.startswith("> "):
            chapters[-1].passages.append(passage(block[2:], "quote"))
        else:
            chapters[-1].passages.append(passage(block))
    return ParsedReading(title=title, chapters=chapters, format="text")


@pytest.fixture
def fake_importer(monkeypatch) -> Callable:
    """Stand in for `readings.importers.parse_reading` where every way in calls it."""
    monkeypatch.setattr("readings.uploads.parse_reading", fake_parse_reading)
    return fake_parse_reading


SAMPLE_FILE = b"""The Sample Text

# Opening

First paragraph of the opening.

> A quotation worth reading.

# Second Part

Second part, first paragraph.

Second part, second paragraph.
"""

# A Project Gutenberg file as the real importer reads it: its eBook number and licence.
GUTENBERG_FILE = b"""The Project Gutenberg EBook of A Small Tale, by Ann Author

Title: A Small Tale

Author: Ann Author

Release Date: January 25, 2005 [EBook #4242]

*** START OF THIS PROJECT GUTENBERG EBOOK A SMALL TALE ***

Once upon a time.

*** END OF THIS PROJECT GUTENBERG EBOOK A SMALL TALE ***
"""


@pytest.fixture
def reading(db) -> Reading:
    return save_parsed_reading(
        make_parsed(
            {
                "Beginnings": [passage("Beginnings", "heading"), *paragraphs(3)],
                "Middles": [passage("Middles", "heading"), *paragraphs(4, "Middle")],
                "Ends": paragraphs(2, "End"),
            },
            title="Reading Together",
        )
    )
