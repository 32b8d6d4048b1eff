"""Writing in the margin: post a comment or a reply, edit, delete, re-attach a thread.

Views stay thin and call these. Every write runs in one transaction that also
- updates the thread root's `reply_count` and `last_activity_at`, and
- bumps the (circle, chapter) discussion version (`ChapterDiscussion.bump`), which is part of
  the key of the cached chapter fragment, so the next reader sees the change.
A new comment is announced with `signals.comment_posted` once its transaction commits (the
notifications app listens).

Posting is idempotent: the form carries a UUID made when the form was rendered
(`Comment.idempotency_key`, unique in the database); a resent form or a double click returns
the comment the first request made, also when both requests race (the loser's INSERT fails
inside a savepoint and it reads the winner's row).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.events import announce
from circles.models import Circle
from readings.models import Passage

from . import history, limits, signals
from .anchoring import BadAnchor, make_selector
from .mentions import render_body
from .models import AnchorStatus, ChapterDiscussion, Comment, CommentState, RevisionKind

__all__ = [
    "BadAnchor",
    "CommentError",
    "Posted",
    "RateLimited",
    "delete_comment",
    "edit_comment",
    "post_comment",
    "reattach_thread",
    "reply",
]


class CommentError(ValueError):
    """A write that cannot be done as asked (the message is for the person)."""


class RateLimited(CommentError):
    """Too many posts too fast. The message says when the person may post again;
    `retry_after` is that in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def check_rate_limit(user, circle: Circle) -> limits.Slot:
    """Count a new comment or reply by `user` against the posting limits (per person, across
    circles: see discussions/limits.py), or refuse it with `RateLimited`. Every new comment
    and reply passes through here, just before it is saved; `release()` the returned slot if
    it is not."""
    try:
        return limits.take_slot(user)
    except limits.TooManyPosts as refusal:
        raise RateLimited(str(refusal), refusal.retry_after) from refusal


def check_link_limit(user, body_html: str) -> None:
    """Refuse a comment (new or edited) with more links than `user`'s young account may post."""
    refusal = limits.links_refusal(user, body_html)
    if refusal:
        raise CommentError(refusal)


def _touch_thread(root_id: int, *, now, replies: int = 0) -> None:
    changes: dict = {"last_activity_at": now}
    if replies:
        changes["reply_count"] = F("reply_count") + replies
    Comment.objects.filter(pk=root_id).update(**changes)


@dataclass
class Posted:
    comment: Comment
    created: bool


def post_comment(
    *,
    circle: Circle,
    passage: Passage | None,
    author,
    body: str,
    idempotency_key: uuid.UUID | str | None = None,
    start: int | None = None,
    end: int | None = None,
    is_private: bool = False,
    parent: Comment | None = None,
) -> Posted:
    """Start a thread on `passage` (the whole of it, or `start`..`end` of its text), or reply
    to `parent`. Callers check `permissions.can_comment` / `can_reply` first.

    Returns the comment and whether it is new: a key that was already used returns the
    comment made with it (by the same author; anyone else's key is refused).
    """
    body = (body or "").strip()
    if not body:
        raise CommentError("Write something first.")
    key = uuid.UUID(str(idempotency_key)) if idempotency_key else uuid.uuid4()
    existing = Comment.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _same_author(existing, author)

    now = timezone.now()
    mentioned: set[int] = set()
    comment = Comment(
        circle=circle,
        author=author,
        body=body,
        body_html=render_body(body, circle, mentioned),
        idempotency_key=key,
        created_at=now,
        last_activity_at=now,
    )
    if parent is not None:
        root = parent.root if parent.root_id else parent
        comment.parent = parent
        comment.root = root
        # A reply lives where its thread lives, and is as private as its thread.
        comment.reading_id = root.reading_id
        comment.passage_id, comment.passage_key = root.passage_id, root.passage_key
        comment.chapter_id = root.chapter_id
        comment.is_private = root.is_private
        comment.anchor_text_version = root.anchor_text_version
    else:
        if passage is None:
            raise CommentError("Choose a passage to comment on.")
        selector = make_selector(passage.text, start, end)
        comment.reading_id = passage.reading_id
        comment.chapter_id = passage.chapter_id
        comment.passage = passage
        comment.passage_key = passage.key
        comment.is_private = is_private
        comment.anchor_start, comment.anchor_end = selector.start, selector.end
        comment.anchor_exact = comment.anchor_original_exact = selector.exact
        comment.anchor_prefix, comment.anchor_suffix = selector.prefix, selector.suffix
        comment.anchor_text_version = passage.reading.text_version
    check_link_limit(author, comment.body_html)

    # Counted last, when nothing else refuses the post; given back if it is not saved.
    slot = check_rate_limit(author, circle)
    try:
        with transaction.atomic():
            comment.save(force_insert=True)
            if comment.root_id:
                _touch_thread(comment.root_id, now=now, replies=1)
            ChapterDiscussion.bump(circle.pk, comment.chapter_id)
            announce(signals.comment_posted, comment=comment, mentioned=frozenset(mentioned))
    except IntegrityError:
        # The same form arrived twice at once: the other request's comment stands.
        slot.release()
        existing = Comment.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return _same_author(existing, author)
    except BaseException:
        slot.release()  # not saved: it does not count
        raise
    return Posted(comment, True)


def _same_author(existing: Comment, author) -> Posted:
    if existing.author_id != author.pk:
        raise CommentError("This form was already used. Reload the page and try again.")
    return Posted(existing, False)


def reply(parent: Comment, *, author, body: str, idempotency_key=None) -> Posted:
    """Answer `parent` (any comment of a thread)."""
    return post_comment(
        circle=parent.circle,
        passage=None,
        author=author,
        body=body,
        idempotency_key=idempotency_key,
        parent=parent,
    )


@transaction.atomic
def edit_comment(comment: Comment, body: str, *, by=None) -> Comment:
    """Its author replaces the body; the earlier version is kept as a CommentRevision that
    says who changed it (`by`, the author when not given; corrections by others go through
    `moderation.correct_comment`, which asks why)."""
    body = (body or "").strip()
    if not body:
        raise CommentError("A comment cannot be empty; delete it instead.")
    if body == comment.body:
        return comment
    body_html = render_body(body, comment.circle)
    check_link_limit(comment.author, body_html)
    now = timezone.now()
    by = by or comment.author
    history.record(comment, RevisionKind.EDIT, by, when=now)
    comment.body = body
    comment.body_html = body_html
    comment.edited_at = now
    comment.edited_by = by
    comment.save(update_fields=["body", "body_html", "edited_at", "edited_by"])
    _touch_thread(comment.thread_id, now=now)
    ChapterDiscussion.bump(comment.circle_id, comment.chapter_id)
    return comment


@transaction.atomic
def delete_comment(comment: Comment, *, by=None) -> Comment:
    """The author takes their words back (`by`: the author when not given).

    The row stays (state "deleted", body emptied, who and when kept; the revisions keep the
    text for its author and the moderators): a deleted comment with replies shows "deleted"
    in its place so the replies still read as answers; one without replies disappears from
    every list and count, except for moderators, who see it in place with its history.
    """
    if comment.state == CommentState.DELETED:
        return comment
    by = by or comment.author
    now = timezone.now()
    history.record(comment, RevisionKind.DELETE, by, when=now)
    was_visible = comment.state == CommentState.VISIBLE
    comment.state = CommentState.DELETED
    comment.body = ""
    comment.body_html = ""
    comment.deleted_at = now
    comment.deleted_by = by
    comment.save(update_fields=["state", "body", "body_html", "deleted_at", "deleted_by"])
    if comment.root_id and was_visible:
        Comment.objects.filter(pk=comment.root_id).update(reply_count=F("reply_count") - 1)
    ChapterDiscussion.bump(comment.circle_id, comment.chapter_id)
    return comment


@transaction.atomic
def reattach_thread(root: Comment, passage: Passage, start: int | None, end: int | None) -> Comment:
    """A moderator puts an orphaned (or misplaced) thread on new words; its replies follow."""
    if not root.is_root:
        raise CommentError("Only a thread's first comment carries its place in the text.")
    selector = make_selector(passage.text, start, end)
    old_chapter = root.chapter_id
    root.passage = passage
    root.passage_key = passage.key
    root.chapter_id = passage.chapter_id
    root.anchor_start, root.anchor_end = selector.start, selector.end
    root.anchor_exact = selector.exact
    root.anchor_prefix, root.anchor_suffix = selector.prefix, selector.suffix
    root.anchor_status = AnchorStatus.ANCHORED
    root.anchor_score = 1.0
    root.anchor_text_version = passage.reading.text_version
    root.save()
    Comment.objects.filter(root=root).update(
        passage=passage, passage_key=passage.key, chapter_id=passage.chapter_id
    )
    ChapterDiscussion.bump(root.circle_id, old_chapter)
    if passage.chapter_id != old_chapter:
        ChapterDiscussion.bump(root.circle_id, passage.chapter_id)
    return root
