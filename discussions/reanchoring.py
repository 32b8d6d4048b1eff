"""Signal receivers: keep comment anchors on their words when a reading's text changes.

`readings.signals.passages_changed` is sent inside the write's transaction, after changed and
added passages are saved and before removed ones are deleted. `reanchor_comments` re-places
the anchor of every thread root on a changed or removed passage (see
`discussions.anchoring.reanchor` for the rules) and moves it — and its replies — to the
passage it landed in, or orphans it (no passage, `passage_key` kept so the thread still says
where it was). Removed passages are still readable here, so their threads are re-pointed
before the rows go.

The number of queries does not depend on the number of comments or passages: the roots, the
changed passages' places, every passage of the chapters concerned (one query for all of
them), one bulk update of the roots and one update of their replies.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from readings.models import Passage
from readings.signals import PassageChange

from .anchoring import NEXT, ORPHANED, PREVIOUS, SAME, Candidate, Selector, reanchor
from .models import Comment

# Neighbouring passages tried on each side of a changed passage.
NEIGHBOURS = 2
BATCH_SIZE = 500
ANCHOR_FIELDS = [
    "passage",
    "passage_key",
    "chapter",
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


@dataclass(frozen=True)
class _Row:
    id: int
    chapter_id: int
    position: int
    key: str
    text: str


def reanchor_comments(
    sender, *, reading, old_version: int, new_version: int, changes: list[PassageChange], **kwargs
) -> None:
    """Re-anchor the threads on passages whose text changed or that were removed."""
    changed = {change.passage_id: change for change in changes if not change.added}
    if not changed:
        return
    roots = list(
        Comment.objects.filter(reading=reading, parent__isnull=True, passage_id__in=changed)
    )
    if not roots:
        return
    removed = {change.passage_id for change in changes if change.removed}
    # What each neighbour said before the change: words it already had did not move there.
    old_texts = {change.passage_id: change.old_text for change in changes}

    places = dict(
        Passage.objects.filter(pk__in={root.passage_id for root in roots})
        .order_by()
        .values_list("pk", "chapter_id")
    )
    chapters: dict[int, list[_Row]] = defaultdict(list)
    rows = Passage.objects.filter(chapter_id__in=set(places.values())).order_by(
        "chapter_id", "position", "pk"
    )
    for row in rows.values_list("pk", "chapter_id", "position", "key", "text"):
        chapters[row[1]].append(_Row(*row))
    by_id = {row.id: row for rows_ in chapters.values() for row in rows_}
    by_key = {row.key: row for row in by_id.values() if row.id not in removed}

    for root in roots:
        change = changed[root.passage_id]
        passage = by_id[root.passage_id]
        candidates = _candidates(change, passage, chapters[passage.chapter_id], removed, old_texts)
        anchor = Selector(
            root.anchor_start,
            root.anchor_end,
            root.anchor_exact,
            root.anchor_prefix,
            root.anchor_suffix,
        )
        placement = reanchor(anchor, change.old_text or "", candidates)
        if placement.status == ORPHANED or placement.key not in by_key:
            root.passage = None
        else:
            target = by_key[placement.key]
            root.passage_id = target.id
            root.passage_key = target.key
            root.chapter_id = target.chapter_id
        if not root.anchor_original_exact and root.anchor_start is not None:
            # A row made before the quote as written was kept: its quote until now is it.
            root.anchor_original_exact = root.anchor_exact
        root.anchor_start, root.anchor_end = placement.start, placement.end
        root.anchor_exact = placement.exact
        root.anchor_prefix, root.anchor_suffix = placement.prefix, placement.suffix
        root.anchor_status = placement.status
        root.anchor_score = placement.score
        root.anchor_text_version = new_version

    Comment.objects.bulk_update(roots, ANCHOR_FIELDS, batch_size=BATCH_SIZE)
    _replies_follow([root.pk for root in roots])


def _candidates(
    change: PassageChange,
    passage: _Row,
    chapter: list[_Row],
    removed: set[int],
    old_texts: dict[int, str | None],
) -> list[Candidate]:
    """The passage itself (unless removed), then up to NEIGHBOURS passages on each side in its
    chapter, nearest first ("next" first at equal distance: a split's new half follows).

    A removed passage keeps its old position, so the passage now at that position (the one
    that took its place) counts as its nearest "next".
    """
    candidates = []
    if not change.removed:
        candidates.append(Candidate(passage.key, change.new_text or "", SAME, change.old_text))
    others = [row for row in chapter if row.id != passage.id and row.id not in removed]
    before = [row for row in others if row.position < passage.position][-NEIGHBOURS:]
    after = [row for row in others if row.position >= passage.position][:NEIGHBOURS]
    nearby = [(PREVIOUS, row) for row in before] + [(NEXT, row) for row in after]
    nearby.sort(key=lambda item: (abs(item[1].position - passage.position), item[0] != NEXT))
    for relation, row in nearby:
        candidates.append(Candidate(row.key, row.text, relation, old_texts.get(row.id, row.text)))
    return candidates


def _replies_follow(root_ids: list[int]) -> None:
    """Replies live where their thread's root lives (passage, key and chapter), in one query."""
    root = Comment.objects.filter(pk=OuterRef("root_id"))
    for start in range(0, len(root_ids), BATCH_SIZE):
        Comment.objects.filter(root_id__in=root_ids[start : start + BATCH_SIZE]).update(
            passage_id=Subquery(root.values("passage_id")[:1]),
            passage_key=Subquery(root.values("passage_key")[:1]),
            chapter_id=Subquery(root.values("chapter_id")[:1]),
        )
