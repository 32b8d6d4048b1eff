"""A PDF's outline (its bookmarks) → where each chapter starts.

The outline's top entries are the chapters, except that an entry with entries under it whose
own stretch (from it to its first child) holds little text — a group such as "Front Matter"
or "Main Matter", or a part's title page — gives way to its children. The group's name says
what they are: children of "Front Matter" are front matter, of "Back Matter" back matter;
children of a part ("Part I") are titled "Part I — …". Entries for Gutenberg's boilerplate
or licence, and for a contents page, make no chapter (their stretch is skipped, `SKIP`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import Destination

from .headings import TOC_TITLES, is_part_title
from .inline import collapse
from .matter import BACK, FRONT, MAIN

# The kind of a mark whose stretch is no chapter (a contents page, Gutenberg's licence).
SKIP = "skip"
# A group whose own stretch holds fewer words than this gives way to its children.
GROUP_WORDS = 150
_GROUP_KIND = [
    (re.compile(r"^front\s*matter|^preliminar(?:y|ies)\b|^prelims?\b", re.I), FRONT),
    (re.compile(r"^(?:back|end)\s*matter|^appendices\b", re.I), BACK),
    (re.compile(r"^(?:main|body)\s*matter|^main\s+text\b|^text$", re.I), MAIN),
]
_BOILERPLATE = re.compile(
    r"\b(?:project\s+gutenberg|pg)\b.*\b(?:boilerplate|licen[cs]e|header|footer|small\s+print)\b",
    re.I,
)


@dataclass
class Mark:
    """Where a chapter starts: a page index and the height on it (None: the page's top)."""

    title: str
    page: int
    top: float | None
    kind: str = ""

    def position(self) -> tuple[int, float]:
        return self.page, -(self.top + 2 if self.top is not None else float("inf"))


@dataclass
class _Entry:
    mark: Mark
    children: list[_Entry]


def _entries(reader: PdfReader, items: list) -> list[_Entry]:
    entries: list[_Entry] = []
    for item in items:
        if isinstance(item, list):
            if entries:
                entries[-1].children += _entries(reader, item)
            continue
        if not isinstance(item, Destination):
            continue
        try:
            page = reader.get_destination_page_number(item)
        except Exception:  # noqa: BLE001 - a broken bookmark makes no chapter
            continue
        if page is None or page < 0:
            continue
        top = item.top if isinstance(item.top, int | float) else None
        entries.append(_Entry(Mark(collapse(str(item.title or "")), page, top), []))
    return entries


def _group_kind(title: str) -> str:
    title = title.strip(" .:")
    return next((kind for pattern, kind in _GROUP_KIND if pattern.search(title)), "")


def outline_marks(reader: PdfReader, words_between: Callable[[Mark, Mark], int]) -> list[Mark]:
    """The chapters' starts, in reading order (see the module's docstring); `words_between`
    counts the words of running text between two marks."""
    try:
        entries = _entries(reader, reader.outline)
    except Exception:  # noqa: BLE001 - a broken outline is no outline
        return []

    def flatten(entries: list[_Entry], kind: str, part: str) -> list[Mark]:
        marks: list[Mark] = []
        for entry in entries:
            mark = entry.mark
            if _BOILERPLATE.search(mark.title) or TOC_TITLES.match(mark.title.strip(" .:")):
                mark.kind = SKIP
                marks.append(mark)
                continue
            group = _group_kind(mark.title)
            own_words = words_between(mark, entry.children[0].mark) if entry.children else 0
            if entry.children and (group or own_words < GROUP_WORDS):
                # The group's own stretch is a chapter when it holds text, else it is skipped
                # (a title page, a part's title).
                own_kind = (group or kind) if own_words >= GROUP_WORDS else SKIP
                marks.append(Mark(mark.title, mark.page, mark.top, own_kind))
                title = mark.title.strip(" .:")
                inner_part = title if is_part_title(title) else part
                marks += flatten(entry.children, group or kind, inner_part)
                continue
            if part:
                mark.title = f"{part} — {mark.title}"
            mark.kind = mark.kind or kind
            marks.append(mark)
        return marks

    marks = flatten(entries, "", "")
    marks.sort(key=Mark.position)
    return marks
