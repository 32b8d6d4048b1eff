"""A plain-text book's own contents list, used to find its parts.

Some books are divided only into parts named by lines of capitals ("THE OLD COMMONS",
"ENCLOSURE"), with a contents list at the top naming the same parts. Nothing about such a
line says "heading" on its own (a notice in capitals inside a part looks the same), but the
contents list does: the parts are the lines, standing alone, that the list names, in the
list's order, after the list.

`contents_headings` finds the list — a "Contents" line near the start followed by short
lines (page numbers and dot leaders allowed) — and then, after it, each entry in turn as a
block of its own; entries missing from the body are skipped, and the body's lines are only
ever matched forwards, so the parts keep the list's order and a line that repeats an earlier
part's name inside a later part stays text.
"""

from __future__ import annotations

import re

from .headings import TOC_TITLES
from .inline import collapse

# How far into the text (in blocks) a contents list may start.
_SEARCH_BLOCKS = 80
_ENTRY_CHARS = 100
_PAGE_REFERENCE = re.compile(
    r"(?:(?:\s*\.\s*){2,}|\s{2,})(?:\d{1,4}|[ivxlc]{1,7})\s*$|\s\d{1,4}\s*$", re.I
)


def entry_key(line: str) -> str:
    """A heading reduced for comparing: no case, no outer punctuation."""
    return collapse(line).casefold().strip(" .:;,")


def entry_keys(line: str) -> set[str]:
    """The keys a contents entry may match: as it is, and without a page number after it
    (dot leaders and all) — "ENCLOSURE .... 12", "Economy 1"; "PART 2" may be either."""
    keys = {entry_key(line), entry_key(_PAGE_REFERENCE.sub("", line.rstrip()))}
    return keys - {""}


def _is_entry_block(lines: list[str]) -> bool:
    return all(len(line.strip()) <= _ENTRY_CHARS for line in lines) and not (
        len(lines) >= 3 and all(line.rstrip()[-1:].islower() for line in lines[:-1])
    )


def _contents_list(blocks: list[list[str]]) -> tuple[int, int, list[set[str]]] | None:
    """(the "Contents" block's index, the index after the list, each entry's keys)."""
    start = next(
        (
            index
            for index, lines in enumerate(blocks[:_SEARCH_BLOCKS])
            if len(lines) == 1 and TOC_TITLES.match(collapse(lines[0]))
        ),
        None,
    )
    if start is None:
        return None
    entries: list[set[str]] = []
    end = start + 1
    while end < len(blocks) and _is_entry_block(blocks[end]):
        lines = blocks[end]
        if entries and len(lines) == 1 and entry_key(lines[0]) in entries[0]:
            break  # the first part's heading: the body has begun
        entries += [keys for line in lines if (keys := entry_keys(line))]
        end += 1
    return (start, end, entries) if len(entries) >= 2 else None


def contents_headings(blocks: list[list[str]]) -> tuple[int, list[int]] | None:
    """(the index of the "Contents" block, the indexes of the blocks that are the parts it
    names), or None when the text has no such list or fewer than two of its entries, or
    fewer than half of them, stand alone after it."""
    found = _contents_list(blocks)
    if found is None:
        return None
    start, end, entries = found
    headings: list[int] = []
    next_entry = 0
    for index in range(end, len(blocks)):
        lines = blocks[index]
        if len(lines) > 3 or next_entry >= len(entries):
            continue
        key = entry_key(" ".join(lines))
        found = next((j for j in range(next_entry, len(entries)) if key in entries[j]), None)
        if found is not None:
            headings.append(index)
            next_entry = found + 1
    if len(headings) < 2 or len(headings) * 2 < len(entries):
        return None
    return start, headings
