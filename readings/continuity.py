"""Which rows continue across a re-import: passages and chapters matched by the text they hold.

A re-import keeps a passage's row (its id and its key, the `#p-<key>` permalink) when a new
passage continues it, and a chapter's row (its id: permalinks by number follow its new number,
and sessions' chapter ranges point at the row) when a new chapter continues it. Both are
decided from the `TextAlignment` of the old and new text (`readings.alignment`), never from
positions or numbers:

- a new passage continues an old one when each is the other's main partner (the new passage
  took more of its text from that old passage than from any other, and that old passage gave
  more of its text to it than to any other) and they share at least `PASSAGE_SHARE` of their
  characters (2 × shared / (old length + new length)): an edited paragraph continues, the
  larger half of a split paragraph continues, the other half is new; a rewritten one is new;
- a new chapter continues an old one when they share the most text of any remaining pair, and
  at least `CHAPTER_SHARE` of the smaller one's characters, taken greedily from the largest
  share down: an edition that adds a preface shifts every chapter's number but every chapter
  keeps its row. Chapters left over are then paired by title (typographic variants and case
  aside) when a title names one old and one new chapter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from .alignment import TextAlignment
from .typography import fold_text

# Share of characters (0..1) a new passage must have in common with the old one it continues.
PASSAGE_SHARE = 0.5
# Share of the smaller chapter's characters two chapters must have in common to be paired.
CHAPTER_SHARE = 0.3


def pair_passages(
    alignment: TextAlignment,
    old_lengths: Mapping[Hashable, int],
    new_lengths: Mapping[Hashable, int],
) -> dict[Hashable, Hashable]:
    """new passage id → the old passage id it continues (see the module docstring)."""
    main_destination: dict[Hashable, tuple[Hashable, int]] = {}
    for old in old_lengths:
        destinations = alignment.destinations(old)
        if destinations:
            main_destination[old] = max(destinations.items(), key=lambda item: item[1])
    pairs = {}
    for new, length in new_lengths.items():
        sources = alignment.sources(new)
        if not sources:
            continue
        old, shared = max(sources.items(), key=lambda item: item[1])
        if main_destination.get(old, (None, 0))[0] != new:
            continue
        if 2 * shared >= PASSAGE_SHARE * (old_lengths[old] + length):
            pairs[new] = old
    return pairs


@dataclass(frozen=True)
class ChapterText:
    """A chapter as the matching sees it: its id (an old row's pk, or a new chapter's index),
    its title and the ids of its passages."""

    id: Hashable
    title: str
    passages: Sequence[Hashable]


def match_chapters(
    alignment: TextAlignment,
    old: Sequence[ChapterText],
    new: Sequence[ChapterText],
    old_lengths: Mapping[Hashable, int],
    new_lengths: Mapping[Hashable, int],
) -> dict[Hashable, Hashable]:
    """new chapter id → the old chapter id it continues (see the module docstring)."""
    new_chapter_of = {p: chapter.id for chapter in new for p in chapter.passages}
    shared: dict[tuple[Hashable, Hashable], int] = defaultdict(int)
    for chapter in old:
        for passage in chapter.passages:
            for destination, count in alignment.destinations(passage).items():
                if destination in new_chapter_of:
                    shared[chapter.id, new_chapter_of[destination]] += count
    old_size = {c.id: sum(old_lengths[p] for p in c.passages) for c in old}
    new_size = {c.id: sum(new_lengths[p] for p in c.passages) for c in new}
    pairs: dict[Hashable, Hashable] = {}
    taken: set[Hashable] = set()
    for (old_id, new_id), count in sorted(shared.items(), key=lambda item: -item[1]):
        if new_id in pairs or old_id in taken:
            continue
        if count >= CHAPTER_SHARE * max(1, min(old_size[old_id], new_size[new_id])):
            pairs[new_id] = old_id
            taken.add(old_id)
    by_title_old = defaultdict(list)
    for chapter in old:
        if chapter.id not in taken and chapter.title.strip():
            by_title_old[_title_key(chapter.title)].append(chapter.id)
    by_title_new = defaultdict(list)
    for chapter in new:
        if chapter.id not in pairs and chapter.title.strip():
            by_title_new[_title_key(chapter.title)].append(chapter.id)
    for title, news in by_title_new.items():
        olds = by_title_old.get(title, [])
        if len(news) == 1 and len(olds) == 1:
            pairs[news[0]] = olds[0]
    return pairs


def successors(
    alignment: TextAlignment, old: ChapterText, new_chapter_of: Mapping[Hashable, Hashable]
) -> list[Hashable]:
    """The new chapters that took over an old chapter's text, most first."""
    shares: dict[Hashable, int] = defaultdict(int)
    for passage in old.passages:
        for destination, count in alignment.destinations(passage).items():
            if destination in new_chapter_of:
                shares[new_chapter_of[destination]] += count
    return [chapter for chapter, _ in sorted(shares.items(), key=lambda item: -item[1])]


def _title_key(title: str) -> str:
    return " ".join(fold_text(title).casefold().split())
