"""What the margin shows of flags and hidden comments to each viewer, and a circle's review
queue (its moderation page).

The thread panel calls `mark_for_viewer` on the comments it loaded (with whether the viewer
flagged each, annotated in the same query): moderators cost one query more, for the open
flags. It sets on each comment what the templates need:

- `shown_in_full`: a hidden comment the viewer may still read (its author, the moderators);
- `flagged_by_viewer`, `can_flag`: the member's "Flag" action or "You flagged this";
- `open_flags`: for moderators, the comment's open flags (reasons counted in `flag_summary`).

None of this reaches the chapter page's shared cache: the chapter shows highlights and
counts of visible comments only, the same for everyone (see `discussions.views.reader`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F

from circles.models import Circle

from . import permissions
from .models import Comment, CommentState, Flag, FlagReason
from .threads import build_threads


def mark_for_viewer(user, circle: Circle, comments: list[Comment], *, focus: str = "") -> None:
    """`comments` come from a queryset `with_flagged_by(user)`; moderators cost one query
    more (the open flags), everyone else none."""
    moderator = permissions.can_moderate(user, circle)
    open_flags: dict[int, list[Flag]] = {}
    if moderator and comments:
        flags = Flag.objects.open().filter(comment__in=[c.pk for c in comments])
        for flag in flags:
            open_flags.setdefault(flag.comment_id, []).append(flag)
    for comment in comments:
        comment.flagged_by_viewer = getattr(comment, "flagged_by_viewer", False)
        comment.open_flags = open_flags.get(comment.pk, [])
        comment.flag_summary = summarize(comment.open_flags)
        # Moderators act on a comment directly rather than flag it for themselves.
        comment.can_flag = (
            not moderator and not comment.flagged_by_viewer and permissions.can_flag(user, comment)
        )
        comment.shown_in_full = comment.state == CommentState.HIDDEN and (
            permissions.can_see_hidden_comment(user, comment)
        )
        # The comment the reader just acted on keeps its place (as a placeholder if need be);
        # moderators see deleted comments in place, with their history.
        comment.keep_in_thread = (
            comment.shown_in_full
            or focus == f"c-{comment.pk}"
            or (moderator and comment.state == CommentState.DELETED)
        )


def kept_for_viewer(comment: Comment) -> bool:
    """For `build_threads`: hidden comments this viewer still sees stay in their thread."""
    return getattr(comment, "keep_in_thread", False)


def shown_in_margin(user, comment: Comment) -> bool:
    """Whether `user` sees `comment` in the margin as the thread panel draws it for them
    (its circle and its privacy already allowed, and `comment.circle` loaded):

    - a visible comment: yes;
    - a comment hidden by a moderator: its author and the circle's moderators only (others
      may see a "hidden" placeholder where it has replies, but not the comment);
    - a comment deleted by its author: while it holds a place in the thread, that is while a
      comment this viewer sees hangs below it (one query, the thread's).
    """
    if comment.state == CommentState.VISIBLE:
        return True
    if comment.state == CommentState.HIDDEN:
        return permissions.can_see_hidden_comment(user, comment)
    thread = list(
        Comment.objects.in_thread(comment.thread_id).visible_to(user).order_by("created_at", "pk")
    )
    for other in thread:
        other.circle = comment.circle

    def kept(other: Comment) -> bool:
        return other.state == CommentState.HIDDEN and permissions.can_see_hidden_comment(
            user, other
        )

    stack = build_threads(thread, keep=kept)
    while stack:
        node = stack.pop()
        if node.comment.pk == comment.pk:
            return True
        stack.extend(node.children)
    return False


def summarize(flags: list[Flag]) -> list[tuple[str, int]]:
    """[(reason label, count)], most frequent first."""
    labels = dict(FlagReason.choices)
    counts = Counter(flag.reason for flag in flags)
    return [(labels.get(reason, reason), n) for reason, n in counts.most_common()]


# --- the circle's moderation page ------------------------------------------------------------

QUEUE_LIMIT = 50
HIDDEN_LIMIT = 50
DELETED_LIMIT = 50


@dataclass
class FlaggedComment:
    comment: Comment
    flags: list[Flag] = field(default_factory=list)

    @property
    def summary(self) -> list[tuple[str, int]]:
        return summarize(self.flags)

    @property
    def notes(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.note]


def open_flag_queue(circle: Circle) -> list[FlaggedComment]:
    """Comments with open flags, the longest-waiting first (by their oldest open flag): one
    query, at most `QUEUE_LIMIT` comments."""
    flags = (
        Flag.objects.open()
        .filter(comment__circle=circle)
        .select_related("reporter", "comment__author", "comment__reading", "comment__chapter")
        .order_by("created_at", "pk")
    )
    queue: dict[int, FlaggedComment] = {}
    for flag in flags:
        if flag.comment_id not in queue:
            if len(queue) >= QUEUE_LIMIT:
                continue
            flag.comment.circle = circle
            queue[flag.comment_id] = FlaggedComment(flag.comment)
        queue[flag.comment_id].flags.append(flag)
    return list(queue.values())


def hidden_comments(circle: Circle) -> list[Comment]:
    """The circle's hidden comments, most recently written first (at most `HIDDEN_LIMIT`)."""
    comments = list(
        Comment.objects.filter(circle=circle, state=CommentState.HIDDEN)
        .select_related("author", "reading", "chapter")
        .order_by("-created_at", "-pk")[:HIDDEN_LIMIT]
    )
    for comment in comments:
        comment.circle = circle
    return comments


def deleted_comments(circle: Circle) -> list[Comment]:
    """The circle's comments their authors deleted (private notes aside), the most recently
    deleted first (at most `DELETED_LIMIT`): a deleted thread nobody answered is in no list
    members see, and only the moderators' panel shows it, so this is where they find it."""
    comments = list(
        Comment.objects.filter(circle=circle, state=CommentState.DELETED, is_private=False)
        .select_related("author", "deleted_by", "reading", "chapter")
        .order_by(F("deleted_at").desc(nulls_last=True), "-pk")[:DELETED_LIMIT]
    )
    for comment in comments:
        comment.circle = circle
    return comments


def open_flag_count(circle: Circle) -> int:
    return Flag.objects.open().filter(comment__circle=circle).count()
