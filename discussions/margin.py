"""What a chapter page shows of a circle's discussion: highlights and counts per passage,
the chapter's totals, and the threads orphaned there. Each is one query however many
comments there are."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from circles.models import Circle
from readings.models import Chapter

from .highlights import Highlight
from .models import AnchorStatus, Comment, CommentState

SHOW_CHOICES = {"all": "All", "mine": "Mine", "unanswered": "Unanswered"}


@dataclass
class ChapterMargin:
    """What the chapter page shows of a circle's discussion: highlights and counts per
    passage, totals, and whether threads were orphaned here."""

    highlights: dict[int, list[Highlight]] = field(default_factory=dict)
    counts: dict[int, int] = field(default_factory=dict)
    threads: int = 0
    comments: int = 0
    orphans: int = 0


def chapter_margin(circle: Circle, chapter: Chapter, user, show: str = "all") -> ChapterMargin:
    """Highlights and counts of `chapter` in `circle` as `user` sees them: two queries
    however many comments there are (a grouped count and the roots' anchors).

    `user` may be AnonymousUser: that is also the shared view cached for everyone without
    private notes in the chapter.
    """
    comments = Comment.objects.in_chapter_of(circle, chapter).visible_to(user)
    roots = comments.roots().shown_to(user)
    if show == "unanswered":
        roots = roots.unanswered()
        comments = comments.filter(parent__isnull=True, reply_count=0)
    elif show == "mine":
        mine = roots.involving(user).values("pk")
        roots = roots.filter(pk__in=mine)
        comments = comments.filter(Q(pk__in=mine) | Q(root__in=mine))

    margin = ChapterMargin()
    rows = (
        comments.order_by()
        .values("passage_id")
        .annotate(
            shown=Count("pk", filter=Q(state=CommentState.VISIBLE)),
            threads=Count("pk", filter=Q(parent__isnull=True) & _shown_root()),
        )
    )
    for row in rows:
        if row["passage_id"] is None:
            margin.orphans += row["threads"]
        else:
            margin.counts[row["passage_id"]] = row["shown"]
        margin.comments += row["shown"]
        margin.threads += row["threads"]

    anchors = (
        roots.filter(anchor_start__isnull=False, passage__isnull=False)
        .exclude(anchor_status=AnchorStatus.ORPHANED)
        .order_by()
        .values_list("passage_id", "anchor_start", "anchor_end", "pk", "state", "reply_count")
    )
    for passage_id, start, end, pk, state, replies in anchors:
        comments = replies + (1 if state == CommentState.VISIBLE else 0)
        margin.highlights.setdefault(passage_id, []).append(Highlight(start, end, pk, comments))
    return margin


def chapter_totals(circle: Circle, chapter_id: int | None, user) -> tuple[int, int]:
    """(threads, comments) of a chapter as `user` sees them, in one query."""
    totals = (
        Comment.objects.filter(circle=circle, chapter_id=chapter_id)
        .visible_to(user)
        .aggregate(
            comments=Count("pk", filter=Q(state=CommentState.VISIBLE)),
            threads=Count("pk", filter=Q(parent__isnull=True) & _shown_root()),
        )
    )
    return totals["threads"], totals["comments"]


def _shown_root() -> Q:
    """Roots that are shown: not hidden, and not deleted unless they have replies."""
    return ~Q(state=CommentState.HIDDEN) & ~Q(state=CommentState.DELETED, reply_count=0)


def orphaned_threads(circle: Circle, chapter: Chapter, user) -> list[Comment]:
    return list(
        Comment.objects.in_chapter_of(circle, chapter)
        .orphaned()
        .shown_to(user)
        .select_related("author")
        .order_by("created_at")
    )
