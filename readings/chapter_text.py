"""Editing a chapter's whole text at once (the admin's "Edit this chapter's text").

The chapter is shown as one text: its passages' texts separated by blank lines. Saving it is
one change of the reading's text (`readings.services.reimport` with this chapter's passages
replaced), so a sentence moved to the next paragraph takes its threads with it, as a
re-import would, instead of orphaning them between two passage edits.

Rules for the text saved:

- paragraphs are separated by blank lines; inside a paragraph, runs of spaces and line breaks
  become one space, except in verse, whose line breaks stay (a verse stanza break, itself a
  blank line, starts a new passage);
- each paragraph keeps the kind (paragraph, heading, quotation, verse, note...) of the old
  passage it took most of its text from (a new paragraph is a "paragraph");
- inline markup (emphasis, note references and back-links) is carried over from the old
  passages each paragraph took its text from (`readings.markup.carry_markup`) wherever the
  edit left it alone.
"""

from __future__ import annotations

import re

from .alignment import align
from .importers.base import ParsedChapter, ParsedPassage, ParsedReading, ReadingImportError
from .markup import carry_markup
from .models import Chapter, Passage, PassageKind, text_to_html
from .services import Reimport, reimport

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def chapter_text(chapter: Chapter) -> str:
    """The chapter as one text, passages separated by blank lines."""
    return "\n\n".join(Passage.objects.in_chapter(chapter).values_list("text", flat=True))


def edit_chapter_text(chapter: Chapter, text: str) -> Reimport:
    """Save `text` as the chapter's passages (see the module docstring), as one change."""
    pieces = [piece.strip() for piece in _BLANK_LINE.split(text.replace("\r\n", "\n"))]
    pieces = [piece for piece in pieces if piece]
    if not pieces:
        raise ReadingImportError("A chapter needs some text: remove it by re-importing instead.")
    old = list(Passage.objects.in_chapter(chapter))
    alignment = align([(p.pk, p.text) for p in old], list(enumerate(pieces)))
    by_id = {p.pk: p for p in old}
    order = {p.pk: n for n, p in enumerate(old)}
    passages = []
    for index, piece in enumerate(pieces):
        sources = alignment.sources(index)
        main = by_id[max(sources, key=lambda s: sources[s])] if sources else None
        kind = main.kind if main is not None else PassageKind.PARAGRAPH
        if kind != PassageKind.VERSE:
            piece = " ".join(piece.split())
        passages.append(ParsedPassage(kind, piece, _html(piece, sources, by_id, order)))
    reading = chapter.reading
    others: dict[int, list[ParsedPassage]] = {}
    for p in Passage.objects.in_reading(reading).exclude(chapter=chapter):
        others.setdefault(p.chapter_id, []).append(ParsedPassage(p.kind, p.text, p.html))
    parsed = ParsedReading(
        title=reading.title,
        author=reading.author,
        chapters=[
            ParsedChapter(c.title, passages if c.pk == chapter.pk else others.get(c.pk, []))
            for c in Chapter.objects.of(reading)
        ],
        format=reading.source_format,
    )
    return reimport(reading, parsed)


def _html(text: str, sources: dict, by_id: dict, order: dict) -> str:
    """`text` with the inline markup of the old passages it came from, where it still fits."""
    if not sources:
        return text_to_html(text)
    olds = sorted((by_id[s] for s in sources), key=lambda p: order[p.pk])
    joined_text = "\n\n".join(p.text for p in olds)
    return str(carry_markup(joined_text, "\n\n".join(p.html for p in olds), text))
