"""A passage's threads, a page at a time: what keeps the passage page, its panel and every post
answered with the panel the same size however long the discussion grows.

- Threads come `THREADS_PER_PAGE` at a time, the most recently active first (a reply moves
  its thread to the top); "More threads" loads the next page.
- Each thread shows its first `REPLIES_SHOWN` replies; the rest wait behind "Show all
  replies", which opens that one thread (`expand`: the passage page's `?thread=`), its replies
  `REPLIES_PER_PAGE` at a time (`?thread=…&from=`).
- The comment a page is about (`include`: a reply just posted, the one being replied to or
  edited, a link to one) is shown even where it would be collapsed, with its thread.

A few queries whatever the number of comments: the page's threads, their first replies (a
window function numbers each thread's replies), the comment asked for, and the count of the
passage's comments (one aggregate).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from circles.models import Circle
from readings.models import Passage

from .models import Comment, CommentState
from .models.comments import CommentQuerySet
from .permissions import can_moderate

THREADS_PER_PAGE = 20
REPLIES_SHOWN = 10
REPLIES_PER_PAGE = 50


@dataclass
class ThreadPage:
    """The comments of one page of a passage's threads, thread-ordered (the roots most
    recently active first, then the shown replies, oldest first)."""

    comments: list[Comment]
    number: int = 1
    has_next: bool = False
    expanded: int | None = None
    # An expanded thread: where its replies start, and where the next ones do (None: no more).
    replies_from: int = 0
    replies_next: int | None = None
    # root pk → how many of its replies are not shown (collapsed behind "Show all replies")
    more_replies: dict[int, int] = field(default_factory=dict)


def passage_threads(
    circle: Circle,
    passage: Passage,
    user,
    *,
    page: int = 1,
    expand: int | None = None,
    replies_from: int = 0,
    include: int | None = None,
    prepare: Callable[[CommentQuerySet], CommentQuerySet] | None = None,
) -> ThreadPage:
    """Page `page` of the threads on `passage` as `user` may see them (visibility only: the
    panel prunes what this reader does not see; a deleted thread nobody answered is left out,
    but for the circle's moderators), or with `expand` that thread, its replies
    from the `replies_from`th; `include` is a comment to show wherever it is. Every comment
    comes `with_flagged_by(user)`, its author joined; the threads' first comments also go
    through `prepare` (the panel's thread annotations) when given."""
    on_passage = (
        Comment.objects.filter(
            circle=circle, reading_id=passage.reading_id, passage_key=passage.key
        )
        .visible_to(user)
        .with_flagged_by(user)
        .select_related("author")
    )
    roots = on_passage.filter(parent__isnull=True)
    if prepare is not None:  # what a thread shows: for its first comment only
        roots = prepare(roots)
    if not can_moderate(user, circle):  # moderators see deleted threads in place
        roots = roots.exclude(state=CommentState.DELETED, reply_count=0)
    if expand is not None:
        return _one_thread(on_passage, roots, expand, max(replies_from, 0))

    page = max(page, 1)
    start = (page - 1) * THREADS_PER_PAGE
    found = list(roots.order_by("-last_activity_at", "-pk")[start : start + THREADS_PER_PAGE + 1])
    has_next = len(found) > THREADS_PER_PAGE
    found = found[:THREADS_PER_PAGE]
    extra: list[Comment] = []
    if include is not None:
        wanted = on_passage.select_related("parent__author").filter(pk=include).first()
        if wanted is not None:
            root_pk = wanted.root_id or wanted.pk
            if all(root.pk != root_pk for root in found):
                found[:0] = roots.filter(pk=root_pk)  # its thread leads the page
            if wanted.root_id and any(root.pk == root_pk for root in found):
                extra.append(wanted)
    if not found:
        return ThreadPage([], number=page)

    replies = list(
        on_passage.filter(root_id__in=[root.pk for root in found])
        .annotate(
            position=Window(
                RowNumber(), partition_by=[F("root_id")], order_by=[F("created_at"), F("pk")]
            ),
            of=Window(Count("pk"), partition_by=[F("root_id")]),
        )
        .filter(position__lte=REPLIES_SHOWN)
    )
    more: dict[int, int] = {}
    for reply in replies:
        more[reply.root_id] = reply.of - REPLIES_SHOWN
    shown = {reply.pk for reply in replies}
    for reply in extra:
        if reply.pk not in shown:
            replies.append(reply)
            more[reply.root_id] = more.get(reply.root_id, 0) - 1
    replies.sort(key=lambda reply: (reply.created_at, reply.pk))
    return ThreadPage(
        [*found, *replies],
        number=page,
        has_next=has_next,
        more_replies={root: count for root, count in more.items() if count > 0},
    )


def _one_thread(
    on_passage: CommentQuerySet, roots: CommentQuerySet, root_pk: int, start: int
) -> ThreadPage:
    found = list(roots.filter(pk=root_pk))
    if not found:
        return ThreadPage([], expanded=root_pk)
    replies = list(
        on_passage.filter(root_id=root_pk)
        .select_related("parent__author")
        .order_by("created_at", "pk")[start : start + REPLIES_PER_PAGE + 1]
    )
    next_from = start + REPLIES_PER_PAGE if len(replies) > REPLIES_PER_PAGE else None
    return ThreadPage(
        [*found, *replies[:REPLIES_PER_PAGE]],
        expanded=root_pk,
        replies_from=start,
        replies_next=next_from,
    )


def thread_comments(
    circle: Circle,
    root: Comment,
    user,
    *,
    replies_from: int = 0,
    include: int | None = None,
    prepare: Callable[[CommentQuerySet], CommentQuerySet] | None = None,
) -> ThreadPage:
    """A thread on its own page (one whose passage is gone): its first comment and its replies
    from the `replies_from`th, `REPLIES_PER_PAGE` at a time, and `include` wherever it is."""
    in_thread = (
        Comment.objects.in_circle(circle)
        .visible_to(user)
        .with_flagged_by(user)
        .select_related("author")
    )
    roots = in_thread.filter(parent__isnull=True)
    if prepare is not None:  # what a thread shows: for its first comment only
        roots = prepare(roots)
    page = _one_thread(in_thread, roots, root.pk, replies_from)
    shown = {comment.pk for comment in page.comments}
    if include is not None and include not in shown and page.comments:
        wanted = in_thread.select_related("parent__author").filter(pk=include, root=root)
        page.comments = [page.comments[0], *sorted(
            [*page.comments[1:], *wanted], key=lambda reply: (reply.created_at, reply.pk)
        )]  # fmt: skip
    return page


def thread_comment_count(root: Comment, user) -> int:
    """How many comments of the thread `root` starts `user` sees: one aggregate."""
    return (
        Comment.objects.in_thread(root.pk)
        .filter(state=CommentState.VISIBLE)
        .visible_to(user)
        .count()
    )


def passage_comment_count(circle: Circle, passage: Passage, user) -> int:
    """How many comments on `passage` `user` sees (the chapter page's count of it): one
    aggregate."""
    return (
        Comment.objects.filter(circle=circle, passage=passage, state=CommentState.VISIBLE)
        .visible_to(user)
        .count()
    )


def number_param(value: str | None, default: int = 1) -> int:
    """A page number or offset from the query string (`default` when missing or not one)."""
    return int(value) if value and value.isdigit() and int(value) < 10_000_000 else default
