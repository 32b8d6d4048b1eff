"""A comment's history: who changed it, in what role, why and when.

Every write that changes a comment's body or state records one `CommentRevision` here, in
the same transaction, holding the comment as it was just before. The role is the one the
person had at the time: the comment's author, a moderator of its circle, site staff, or the
system (a comment hidden after members' flags). Who may read a comment's history is
`permissions.can_see_history`'s answer.
"""

from __future__ import annotations

from django.utils import timezone

from circles.permissions import is_moderator

from .models import ChangedByRole, Comment, CommentRevision


def role_of(user, comment: Comment) -> str:
    if user is None:
        return ChangedByRole.SYSTEM
    if comment.author_id is not None and comment.author_id == user.pk:
        return ChangedByRole.AUTHOR
    if is_moderator(user, comment.circle):
        return ChangedByRole.MODERATOR
    if user.is_staff:
        return ChangedByRole.STAFF
    return ChangedByRole.MODERATOR


def record(
    comment: Comment, kind: str, by, *, reason: str = "", role: str = "", when=None
) -> CommentRevision:
    """Keep `comment` as it is now (before the change of `kind` that `by` is making, in
    `role`, which is worked out from who `by` is when not given)."""
    role = role or role_of(by, comment)
    comment._change_recorded = True  # the save that follows is the change recorded here
    return CommentRevision.objects.create(
        comment=comment,
        kind=kind,
        changed_by=by,
        role=role,
        reason="" if role == ChangedByRole.AUTHOR else reason.strip(),
        body=comment.body,
        body_html=comment.body_html,
        state=comment.state,
        created_at=when or timezone.now(),
    )


def revisions_of(comment: Comment) -> list[CommentRevision]:
    """Its changes, newest first, with who made them (one query)."""
    return list(
        CommentRevision.objects.filter(comment=comment)
        .select_related("changed_by")
        .order_by("-created_at", "-pk")
    )
