"""Planning a re-import without the database: what continues, what is new, what went where.

`plan_reimport` takes a reading's old chapters and passages and the new text's chapters, and
decides, from the alignment of the old and new text (`readings.alignment`), which old passage
each new passage continues and which old chapter each new chapter continues
(`readings.continuity`). `readings.services.reimport_reading` carries the plan out on the rows;
tests run it on whole books without a database.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from .alignment import TextAlignment, align
from .continuity import ChapterText, match_chapters, pair_passages, successors


@dataclass(frozen=True)
class OldChapter:
    id: Hashable
    title: str
    passages: Sequence[Hashable]  # in order


@dataclass
class ReimportPlan:
    """`alignment` names old passages by their ids and new passages by their index in reading
    order; `continues` maps a new passage's index to the old passage it continues;
    `chapter_rows` a new chapter's index to the old chapter it continues; `chapter_of` a new
    passage's index to its chapter's index; `successors` an old chapter to the new chapters
    that took over its text, most first."""

    alignment: TextAlignment
    continues: dict[int, Hashable]
    chapter_rows: dict[int, Hashable]
    chapter_of: list[int]
    successors: dict[Hashable, list[int]]


def plan_reimport(
    old_chapters: Sequence[OldChapter],
    old_texts: Mapping[Hashable, str],
    new_chapters: Sequence[tuple[str, Sequence[str]]],
) -> ReimportPlan:
    """Plan the re-import of `new_chapters` ((title, passage texts) in order) over the old
    chapters (their passages' texts in `old_texts`)."""
    old_order = [(p, old_texts[p]) for chapter in old_chapters for p in chapter.passages]
    new_texts: list[str] = []
    chapter_of: list[int] = []
    new_chapter_texts = []
    for index, (title, texts) in enumerate(new_chapters):
        first = len(new_texts)
        new_texts.extend(texts)
        chapter_of.extend([index] * len(texts))
        new_chapter_texts.append(ChapterText(index, title, range(first, len(new_texts))))
    alignment = align(old_order, list(enumerate(new_texts)))
    old_lengths = {p: len(text) for p, text in old_order}
    new_lengths = {j: len(text) for j, text in enumerate(new_texts)}
    continues = pair_passages(alignment, old_lengths, new_lengths)
    old_chapter_texts = [ChapterText(c.id, c.title, c.passages) for c in old_chapters]
    chapter_rows = match_chapters(
        alignment, old_chapter_texts, new_chapter_texts, old_lengths, new_lengths
    )
    new_chapter_of = dict(enumerate(chapter_of))
    return ReimportPlan(
        alignment=alignment,
        continues=continues,
        chapter_rows=chapter_rows,
        chapter_of=chapter_of,
        successors={c.id: successors(alignment, c, new_chapter_of) for c in old_chapter_texts},
    )
