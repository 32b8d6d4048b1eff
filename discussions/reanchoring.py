"""Re-anchoring: keep comment anchors on their words when a reading's text changes.

`readings.signals.passages_changed` is sent inside the write's transaction, after changed and
added passages are saved and before removed ones are deleted, with the alignment of the old
and new text. `reanchor_comments` re-places the anchor of every thread root on a changed or
removed passage (`discussions.anchoring.place` holds the rules) and moves it — and its
replies — to the passage it landed in, or orphans it (no passage, `passage_key` kept so the
thread still says where it was, its chapter the one that took over its passage's text).
Removed passages are still readable here, so their threads are re-pointed before the rows go.

Every comment's `chapter` is kept equal to its passage's chapter in the same transaction, also
for threads on passages that moved to another chapter without their text changing
(`discussions.checks` checks that they never differ).

The receiver returns its report, a "threads" section: for every thread on the reading, its
fate — "stays" (on the same passage, in the same chapter), "moves" (to another passage or
chapter), "drifted" (re-attached by a fuzzy match: its score and the new words) or
"orphaned" — with the counts of each (`readings.replacement` previews it).

The number of queries does not depend on the number of comments or passages: the roots, the
passages of the chapters concerned (one query), one bulk update of the roots, one update of
their replies, one of the chapters that drifted from their passage's, and two for the report
(the passages now, the circles' names).

`circles.meetings_follow.keep_meeting_ranges`, another receiver, keeps sessions' chapter
ranges on chapters that exist.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery

from circles.models import Circle
from readings.alignment import TextAlignment, align
from readings.models import Passage
from readings.signals import ChapterChange, PassageChange

from .anchoring import ANCHORED, DRIFTED, ORPHANED, Placement, Selector, place
from .models import Comment
from .text_change import TextChange

BATCH_SIZE = 500
ANCHOR_FIELDS = [
    "passage_id",
    "passage_key",
    "chapter_id",
    "anchor_start",
    "anchor_end",
    "anchor_exact",
    "anchor_original_exact",
    "anchor_prefix",
    "anchor_suffix",
    "anchor_status",
    "anchor_score",
    "anchor_text_version",
]
QUOTE_IN_REPORT = 120


def reanchor_comments(
    sender,
    *,
    reading,
    old_version: int,
    new_version: int,
    changes: list[PassageChange],
    alignment: TextAlignment | None = None,
    chapters: list[ChapterChange] | None = None,
    **kwargs,
) -> dict:
    """Re-anchor the threads on passages whose text changed or that were removed, keep every
    comment's chapter on its passage's, and report every thread's fate."""
    chapters = chapters or []
    if alignment is None:  # a sender that predates alignments: each passage with itself
        alignment = align(
            [(c.passage_id, c.old_text) for c in changes if c.old_text is not None],
            [(c.passage_id, c.new_text) for c in changes if c.new_text is not None],
        )
    touched = {c.passage_id: c for c in changes if not c.added}
    roots = list(
        Comment.objects.filter(reading=reading, parent__isnull=True).only(
            "circle_id", *ANCHOR_FIELDS
        )
    )
    before = {root.pk: (root.passage_id, root.passage_key, root.chapter_id) for root in roots}
    affected = [root for root in roots if root.passage_id in touched]
    placements: dict[int, Placement] = {}
    if affected:
        change, homes = _text_change(changes, alignment, chapters, affected)
        for root in affected:
            anchor = Selector(
                root.anchor_start,
                root.anchor_end,
                root.anchor_exact,
                root.anchor_prefix,
                root.anchor_suffix,
            )
            placement = place(anchor, root.passage_id, change)
            placements[root.pk] = placement
            _apply(root, placement, change, homes, new_version)
        _save_anchors(affected)
        _replies_follow([root.pk for root in affected])
    _chapters_follow_passages(reading)
    return {"threads": _report(reading, roots, before, placements, chapters)}


def _text_change(
    changes: list[PassageChange],
    alignment: TextAlignment,
    chapters: list[ChapterChange],
    affected: list[Comment],
) -> tuple[TextChange, dict[int, int | None]]:
    """The change as `anchoring.place` sees it, from one query: every passage of the chapters
    that hold (or held) the affected passages' text. Also where each affected passage's
    orphans live: the chapter that took over most of its text."""
    removed = {c.passage_id for c in changes if c.removed}
    by_id = {c.passage_id: c for c in changes}
    successors = {c.chapter_id: list(c.successors) for c in chapters if c.removed}
    needed: set[Hashable] = set()
    old_chapters: dict[int, int | None] = {}
    for root in affected:
        needed.add(root.passage_id)
        needed.update(alignment.destinations(root.passage_id))
        change = by_id[root.passage_id]
        old_chapters[root.passage_id] = change.old_chapter_id
    fallback_ids = set()
    for chapter_id in old_chapters.values():
        if chapter_id is not None:
            fallback_ids.update(successors.get(chapter_id, [chapter_id]))
    rows = (
        Passage.objects.filter(
            Q(chapter_id__in=Passage.objects.filter(pk__in=needed).values("chapter_id"))
            | Q(chapter_id__in=fallback_ids)
        )
        .order_by("chapter_id", "position", "pk")
        .values_list("pk", "chapter_id", "text")
    )
    new_texts: dict[Hashable, str] = {}
    old_texts: dict[Hashable, str] = {}
    chapter_passages: dict[Hashable, list[Hashable]] = defaultdict(list)
    chapter_of: dict[Hashable, Hashable] = {}
    for pk, chapter_id, text in rows:
        if pk in removed:
            continue
        new_texts[pk] = text
        chapter_passages[chapter_id].append(pk)
        chapter_of[pk] = chapter_id
        if pk not in by_id:  # unchanged: its old text is its text
            old_texts[pk] = text
    for change in changes:
        if change.old_text is not None:
            old_texts[change.passage_id] = change.old_text
    fallback = {
        passage_id: successors.get(chapter_id, [chapter_id]) if chapter_id else []
        for passage_id, chapter_id in old_chapters.items()
    }
    homes: dict[int, int | None] = {}
    for passage_id in old_chapters:
        shares: dict[Hashable, int] = defaultdict(int)
        for destination, count in alignment.destinations(passage_id).items():
            if destination in chapter_of:
                shares[chapter_of[destination]] += count
        if shares:
            homes[passage_id] = max(shares, key=lambda c: shares[c])
        else:
            homes[passage_id] = (fallback.get(passage_id) or [None])[0]
    change = TextChange(
        alignment=alignment,
        old_texts=old_texts,
        new_texts=new_texts,
        chapters=dict(chapter_passages),
        chapter_of=chapter_of,
        fallback_chapters=fallback,
    )
    return change, homes


def _apply(
    root: Comment,
    placement: Placement,
    change: TextChange,
    homes: dict[int, int | None],
    new_version: int,
) -> None:
    if placement.status == ORPHANED:
        root.chapter_id = homes.get(root.passage_id, root.chapter_id)
        root.passage = None
    else:
        root.passage_id = placement.key
        root.chapter_id = change.chapter_of[placement.key]
    if not root.anchor_original_exact and root.anchor_start is not None:
        # A row made before the quote as written was kept: its quote until now is it.
        root.anchor_original_exact = root.anchor_exact
    root.anchor_start, root.anchor_end = placement.start, placement.end
    root.anchor_exact = placement.exact
    root.anchor_prefix, root.anchor_suffix = placement.prefix, placement.suffix
    root.anchor_status = placement.status
    root.anchor_score = placement.score
    root.anchor_text_version = new_version


def _save_anchors(roots: list[Comment]) -> None:
    """Save the roots' anchors in one statement run for every root (`executemany`; a
    `bulk_update` builds a CASE for every row and field, seconds of Python for a thousand
    threads)."""
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field)} = %s" for field in ANCHOR_FIELDS)
    sql = f"UPDATE {quote(Comment._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"
    rows = [[getattr(root, field) for field in ANCHOR_FIELDS] + [root.pk] for root in roots]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _replies_follow(root_ids: list[int]) -> None:
    """Replies live where their thread's root lives (passage, key and chapter), in one query."""
    root = Comment.objects.filter(pk=OuterRef("root_id"))
    for start in range(0, len(root_ids), BATCH_SIZE):
        Comment.objects.filter(root_id__in=root_ids[start : start + BATCH_SIZE]).update(
            passage_id=Subquery(root.values("passage_id")[:1]),
            passage_key=Subquery(root.values("passage_key")[:1]),
            chapter_id=Subquery(root.values("chapter_id")[:1]),
        )


def _chapters_follow_passages(reading) -> None:
    """Every comment on a passage is in that passage's chapter (a passage that moved to
    another chapter without its text changing takes its threads with it), in one query."""
    passage = Passage.objects.filter(pk=OuterRef("passage_id"))
    Comment.objects.filter(reading=reading, passage__isnull=False).filter(
        Q(chapter__isnull=True) | ~Q(chapter_id=F("passage__chapter_id"))
    ).update(chapter_id=Subquery(passage.values("chapter_id")[:1]))


def _report(
    reading,
    roots: list[Comment],
    before: dict[int, tuple[int | None, str, int | None]],
    placements: dict[int, Placement],
    chapters: list[ChapterChange],
) -> dict:
    """Every thread's fate (see the module docstring), with counts."""
    old_chapter = {c.chapter_id: (c.old_number, c.old_title) for c in chapters}
    new_chapter = {c.chapter_id: (c.new_number, c.new_title) for c in chapters}
    now, keys = {}, {}
    rows = Passage.objects.filter(pk__in={r.passage_id for r in roots if r.passage_id})
    for pk, chapter_id, key in rows.order_by().values_list("pk", "chapter_id", "key"):
        now[pk], keys[pk] = chapter_id, key
    circles = dict(
        Circle.objects.filter(pk__in={r.circle_id for r in roots}).values_list("pk", "name")
    )
    counts = {"stays": 0, "moves": 0, "drifted": 0, "orphaned": 0}
    details = []
    for root in sorted(roots, key=lambda r: r.pk):
        passage_id, passage_key, chapter_id = before[root.pk]
        placement = placements.get(root.pk)
        new_chapter_id = now.get(root.passage_id) if root.passage_id else root.chapter_id
        if root.passage_id is None:
            fate = "orphaned"
        elif placement is not None and placement.status == DRIFTED:
            fate = "drifted"
        elif (root.passage_id, new_chapter_id) == (passage_id, chapter_id):
            fate = "stays"
        else:
            fate = "moves"
        counts[fate] += 1
        detail = {
            "thread": root.pk,
            "circle": circles.get(root.circle_id, ""),
            "circle_id": root.circle_id,
            "quote": _short(root.anchor_exact if root.anchor_start is not None else ""),
            "fate": fate,
            "was_orphaned": passage_id is None,
            "from": _place(old_chapter.get(chapter_id), passage_key),
            "to": None,
        }
        if fate != "orphaned":
            detail["to"] = _place(new_chapter.get(new_chapter_id), keys.get(root.passage_id, ""))
        if placement is not None and placement.status in (ANCHORED, DRIFTED):
            detail["score"] = placement.score
            if placement.status == DRIFTED:
                detail["words"] = _short(placement.exact)
        details.append(detail)
    return {**counts, "details": details}


def _place(chapter: tuple[int | None, str | None] | None, key: str) -> dict:
    number, title = chapter or (None, None)
    return {"chapter": number, "chapter_title": title or "", "passage": key}


def _short(text: str) -> str:
    return text if len(text) <= QUOTE_IN_REPORT else text[: QUOTE_IN_REPORT - 1] + "…"
