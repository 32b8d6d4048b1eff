"""Shared last steps: headings → chapters (Markdown, HTML), note linking, the no-text check."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from .base import ParsedChapter, ParsedPassage, ParsedReading, ReadingImportError
from .inline import REF_MARK
from .matter import classify
from .notes import link_notes


@dataclass
class Block:
    """One block of a document before it is cut into chapters.

    Headings carry their level (1–6) and `title`, their text without note references.
    """

    kind: str
    text: str
    html: str
    level: int = 0
    title: str = ""

    def passage(self) -> ParsedPassage:
        return ParsedPassage(kind=self.kind, text=self.text, html=self.html)

    @property
    def has_note_reference(self) -> bool:
        return REF_MARK in self.html


def title_passages(heading: Block) -> list[ParsedPassage]:
    """What stays of a heading that became a chapter's title: nothing, unless it refers to
    a note ("Bourgeois and Proletarians³"). Then it stays as the chapter's first passage, a
    heading carrying the reference, so the note has a reference to link back to; the reader
    shows it as the chapter's title (`readings.reader.chapter_passages`)."""
    return [heading.passage()] if heading.has_note_reference else []


def chapters_from_blocks(
    blocks: list[Block], fallback_title: str
) -> tuple[list[ParsedChapter], str]:
    """Cut blocks into chapters at the top heading level present.

    A lone top-level heading that opens the document is the document's title (returned as
    the second value, else ""), and the next level down makes the chapters. Content before
    the first chapter heading becomes a chapter of its own, titled by its own heading when it
    starts with one ("### Preface" before "## Chapter 1"), else "Introduction". Deeper
    headings stay in their chapter as heading passages, and so does a chapter's own heading
    when it holds a note reference (`title_passages`).
    """
    blocks = [b for b in blocks if b.text]
    doc_title = ""
    levels = sorted({b.level for b in blocks if b.kind == "heading"})
    if not levels:
        return [ParsedChapter(fallback_title, [b.passage() for b in blocks])], doc_title
    top = levels[0]
    tops = [b for b in blocks if b.kind == "heading" and b.level == top]
    if len(tops) == 1 and blocks[0] is tops[0]:
        doc_title = tops[0].title
        blocks = blocks[1:]
        top = levels[1] if len(levels) > 1 else 0

    chapters: list[ParsedChapter] = []
    current: ParsedChapter | None = None
    for block in blocks:
        if block.kind == "heading" and block.level == top:
            current = ParsedChapter(block.title, title_passages(block))
            chapters.append(current)
            continue
        if current is None:
            if block.kind == "heading":
                current = ParsedChapter(block.title, title_passages(block))
                chapters.append(current)
                continue
            current = ParsedChapter("")
            chapters.append(current)
        current.passages.append(block.passage())
    for index, chapter in enumerate(chapters):
        if not chapter.title:
            if index == 0 and len(chapters) > 1:
                chapter.title = "Introduction"
            else:
                chapter.title = doc_title or fallback_title
    return chapters, doc_title


# The lengths of Reading.source_note and Reading.licence.
SOURCE_LENGTH = 500
LICENCE_LENGTH = 300


def first_sentence(value: str, limit: int) -> str:
    """`value` if it fits in `limit` characters, else its first sentence (or clause) that
    does, else its start cut at a word with "…"."""
    value = " ".join(value.split())
    if len(value) <= limit:
        return value
    for stop in (". ", "; "):
        cut = value.find(stop)
        if 0 < cut < limit:
            return value[: cut + 1].rstrip(";") + ("" if stop == ". " else "…")
    return value[: limit - 1].rsplit(" ", 1)[0] + "…"


def title_from_file_name(filename: str) -> str:
    """A title made from a file's name, for files that name none: "kropotkin_conquest-of_bread.md"
    → "kropotkin conquest of bread"."""
    return PurePath(filename).stem.replace("_", " ").replace("-", " ").strip()


def finish(reading: ParsedReading) -> ParsedReading:
    """Drop empty chapters, link notes, and refuse a reading without any text; each chapter
    gets its kind (front matter, main text, back matter: `matter.classify`). Source and
    licence are made to fit their fields."""
    reading.source_note = first_sentence(reading.source_note, SOURCE_LENGTH)
    reading.licence = first_sentence(reading.licence, LICENCE_LENGTH)
    reading.chapters = [c for c in reading.chapters if any(p.kind != "heading" for p in c.passages)]
    if not reading.chapters:
        raise ReadingImportError("No paragraphs of text were found in the file.")
    for number, chapter in enumerate(reading.chapters, start=1):
        if not chapter.title:
            chapter.title = f"Chapter {number}"
    kinds = classify([c.title for c in reading.chapters], [c.kind for c in reading.chapters])
    for chapter, kind in zip(reading.chapters, kinds, strict=True):
        chapter.kind = kind
    link_notes(reading.chapters)
    if not reading.title:
        reading.title = "Untitled"
        reading.title_from_file_name = True
    return reading
