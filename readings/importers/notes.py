"""Turn note placeholders into links between references and notes, across chapters.

A reference becomes
`<sup><a class="noteref" id="noteref-N" href="#note-N" role="doc-noteref">N</a></sup>`
and the start of a note
`<a class="noteback" id="note-N" href="#noteref-N" role="doc-backlink">N.</a>`.
When the two sit in different chapters the href is relative to the chapter URL:
`../<chapter number>/#note-N` (chapters are numbered from 1 in reading order).
A label referenced twice links every reference, but only the first carries the id.
A reference without a note stays plain text; a note without a reference keeps its id
(so it can still be linked to) but gets no backlink.
"""

from __future__ import annotations

import re

from .base import ParsedChapter
from .inline import BACK_MARK, REF_MARK

_MARK = re.compile("\x00([RN])([^\x02\x01]*)\x02([^\x01]*)\x01")


def _href(anchor: str, from_chapter: int, to_chapter: int) -> str:
    if from_chapter == to_chapter:
        return f"#{anchor}"
    return f"../{to_chapter}/#{anchor}"


def link_notes(chapters: list[ParsedChapter]) -> None:
    """Replace the placeholders left by InlineBuilder in every passage's html, in place."""
    if not any(REF_MARK in p.html or BACK_MARK in p.html for c in chapters for p in c.passages):
        return
    note_at: dict[str, int] = {}
    for number, chapter in enumerate(chapters, start=1):
        for passage in chapter.passages:
            for kind, ident, _shown in _MARK.findall(passage.html):
                if kind == "N":
                    note_at.setdefault(ident, number)
    ref_at: dict[str, int] = {}
    for number, chapter in enumerate(chapters, start=1):
        for passage in chapter.passages:
            for kind, ident, _shown in _MARK.findall(passage.html):
                if kind == "R" and ident in note_at:
                    ref_at.setdefault(ident, number)

    refs_seen: set[str] = set()
    notes_seen: set[str] = set()
    for number, chapter in enumerate(chapters, start=1):

        def replace(match: re.Match[str], number: int = number) -> str:
            kind, ident, shown = match.groups()
            if kind == "R":
                if ident not in note_at:
                    return shown
                href = _href(f"note-{ident}", number, note_at[ident])
                id_attr = "" if ident in refs_seen else f' id="noteref-{ident}"'
                refs_seen.add(ident)
                return (
                    f'<sup><a class="noteref"{id_attr} href="{href}" role="doc-noteref">'
                    f"{shown}</a></sup>"
                )
            id_attr = "" if ident in notes_seen else f' id="note-{ident}"'
            notes_seen.add(ident)
            if ident not in ref_at:
                return f'<span class="noteback"{id_attr}>{shown}</span>'
            href = _href(f"noteref-{ident}", number, ref_at[ident])
            return f'<a class="noteback"{id_attr} href="{href}" role="doc-backlink">{shown}</a>'

        for passage in chapter.passages:
            if "\x00" in passage.html:
                passage.html = _MARK.sub(replace, passage.html)
