"""Moderation services: flags, hiding and restoring comments, bans.

Every action writes one `ModerationEvent` in the same transaction as the change it records,
so the log and the data never disagree. Callers (the admin, circle moderators' views) check
permissions first; these functions only refuse what is impossible or already done, raising
`ModerationError` with a sentence a person can read.

Hiding or restoring a comment bumps its chapter's discussion version
(`ChapterDiscussion.bump`), so the circle reader's cached chapter is replaced, and keeps the
thread root's `reply_count` (visible replies) right, as deleting does.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.events import announce
from circles.models import (
    RSVP,
    Circle,
    LastOrganizer,
    Membership,
    MembershipState,
    Role,
)

from . import history, signals
from .mentions import render_body
from .models import (
    ChangedByRole,
    ChapterDiscussion,
    Comment,
    CommentState,
    Flag,
    FlagResolution,
    ModerationAction,
    ModerationEvent,
    RevisionKind,
)
from .models.comments import AUTO_HIDE_REASON


class ModerationError(ValueError):
    """An action that cannot be done (already done, or not possible on this object)."""


def log(
    action: str,
    *,
    circle: Circle | int,
    actor=None,
    comment: Comment | None = None,
    target_user=None,
    reason: str = "",
) -> ModerationEvent:
    """Append one event to the moderation log (actor None means the system)."""
    circle_id = circle if isinstance(circle, int) else circle.pk
    return ModerationEvent.objects.create(
        action=action,
        circle_id=circle_id,
        actor=actor,
        comment=comment,
        target_user=target_user,
        reason=reason,
    )


def _locked(comment: Comment) -> Comment:
    """The comment's row, locked for this transaction (so concurrent moderators queue up)."""
    fresh = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.state, comment.hidden_reason = fresh.state, fresh.hidden_reason
    return comment


def _set_state(comment: Comment, state: str, hidden_reason: str, *, by, reason: str) -> None:
    """Hide or show `comment` (`by` a moderator, or None for the system), keeping its history,
    its thread's reply count and the reader's cache right."""
    kind = RevisionKind.RESTORE if state == CommentState.VISIBLE else RevisionKind.HIDE
    history.record(comment, kind, by, reason=reason)
    was_visible = comment.state == CommentState.VISIBLE
    comment.state = state
    comment.hidden_reason = hidden_reason
    comment.save(update_fields=["state", "hidden_reason"])
    now_visible = state == CommentState.VISIBLE
    if comment.root_id and was_visible != now_visible:
        change = 1 if now_visible else -1
        Comment.objects.filter(pk=comment.root_id).update(reply_count=F("reply_count") + change)
    ChapterDiscussion.bump(comment.circle_id, comment.chapter_id)


# --- flags -----------------------------------------------------------------------------------


def auto_hide_reason(count: int) -> str:
    return AUTO_HIDE_REASON.format(count=count)


@transaction.atomic
def flag_comment(comment: Comment, reporter, reason: str, note: str = "") -> Flag:
    """`reporter` flags `comment`, once. When open flags from `circle.flag_threshold` distinct
    members have gathered, the comment is hidden pending review (an `auto_hide` event by the
    system). The flag itself is its own record; the log gets an event when something happens.
    """
    comment = _locked(comment)
    if comment.author_id is not None and comment.author_id == reporter.pk:
        raise ModerationError("You cannot flag your own comment.")
    if comment.state == CommentState.DELETED:
        raise ModerationError("This comment was deleted by its author.")
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                comment=comment, reporter=reporter, reason=reason, note=note.strip()
            )
    except IntegrityError:
        raise ModerationError("You have already flagged this comment.") from None

    threshold = Circle.objects.values_list("flag_threshold", flat=True).get(pk=comment.circle_id)
    count = Flag.objects.open().filter(comment=comment).values("reporter").distinct().count()
    hidden = bool(threshold and count >= threshold and comment.state == CommentState.VISIBLE)
    if hidden:
        _set_state(
            comment,
            CommentState.HIDDEN,
            auto_hide_reason(count),
            by=None,
            reason=auto_hide_reason(count),
        )
        announce(signals.comment_hidden, comment=comment, actor=None)
        log(
            ModerationAction.AUTO_HIDE,
            circle=comment.circle_id,
            comment=comment,
            target_user=comment.author,
            reason=auto_hide_reason(count),
        )
    announce(signals.flag_raised, flag=flag, hidden=hidden)
    return flag


@transaction.atomic
def resolve_flags(comment: Comment, actor, resolution: str, reason: str = "") -> ModerationEvent:
    """Close `comment`'s open flags after review. `kept`: the comment stays, and one that was
    hidden by flags is shown again; `hidden`: the comment is hidden, and one that was hidden
    pending review takes the moderator's reason (its author is told, as for any hide)."""
    if resolution not in (FlagResolution.KEPT, FlagResolution.HIDDEN):
        raise ModerationError("Resolve flags as “kept” or “hidden”.")
    comment = _locked(comment)
    now = timezone.now()
    closed = (
        Flag.objects.open()
        .filter(comment=comment)
        .update(resolution=resolution, resolved_by=actor, resolved_at=now)
    )
    if not closed:
        raise ModerationError("This comment has no open flags.")
    label = "kept" if resolution == FlagResolution.KEPT else "hidden"
    note = f"{closed} flag{'s' if closed != 1 else ''} reviewed: {label}"
    if resolution == FlagResolution.KEPT and comment.is_pending_review:
        _set_state(comment, CommentState.VISIBLE, "", by=actor, reason=note)
        announce(signals.comment_restored, comment=comment, actor=actor)
        note += "; shown again"
    elif resolution == FlagResolution.HIDDEN and (
        comment.state == CommentState.VISIBLE or comment.is_pending_review
    ):
        hidden_reason = reason or "reviewed after members’ flags"
        if comment.state == CommentState.VISIBLE:
            _set_state(comment, CommentState.HIDDEN, hidden_reason, by=actor, reason=hidden_reason)
        else:
            # Hidden by flags so far: now a moderator's decision, with their reason, told to
            # the author (who no longer reads "pending review").
            history.record(comment, RevisionKind.HIDE, actor, reason=hidden_reason)
            comment.hidden_reason = hidden_reason
            comment.save(update_fields=["hidden_reason"])
        announce(signals.comment_hidden, comment=comment, actor=actor)
    return log(
        ModerationAction.RESOLVE_FLAG,
        circle=comment.circle_id,
        actor=actor,
        comment=comment,
        target_user=comment.author,
        reason=f"{note}. {reason}".strip() if reason else note,
    )


# --- hiding and restoring ------------------------------------------------------------------


@transaction.atomic
def hide_comment(comment: Comment, actor, reason: str) -> ModerationEvent:
    """A moderator hides a comment; readers no longer see it, its author is told why. Its open
    flags are closed as reviewed ("hidden"), as restoring closes them as "kept"."""
    comment = _locked(comment)
    if comment.state == CommentState.DELETED:
        raise ModerationError("This comment was deleted by its author.")
    if comment.state == CommentState.HIDDEN:
        raise ModerationError("This comment is already hidden.")
    reason = reason.strip()
    # A moderator has looked at it: its open flags are reviewed, and it leaves the queue.
    Flag.objects.open().filter(comment=comment).update(
        resolution=FlagResolution.HIDDEN, resolved_by=actor, resolved_at=timezone.now()
    )
    _set_state(comment, CommentState.HIDDEN, reason, by=actor, reason=reason)
    announce(signals.comment_hidden, comment=comment, actor=actor)
    return log(
        ModerationAction.HIDE,
        circle=comment.circle_id,
        actor=actor,
        comment=comment,
        target_user=comment.author,
        reason=reason,
    )


@transaction.atomic
def restore_comment(comment: Comment, actor, reason: str = "") -> ModerationEvent:
    """Show a hidden comment again. Its open flags are closed as reviewed ("kept"): a
    moderator has looked at it, so the next single flag must not hide it again at once."""
    comment = _locked(comment)
    if comment.state != CommentState.HIDDEN:
        raise ModerationError("Only a hidden comment can be restored.")
    Flag.objects.open().filter(comment=comment).update(
        resolution=FlagResolution.KEPT, resolved_by=actor, resolved_at=timezone.now()
    )
    _set_state(comment, CommentState.VISIBLE, "", by=actor, reason=reason)
    announce(signals.comment_restored, comment=comment, actor=actor)
    return log(
        ModerationAction.RESTORE,
        circle=comment.circle_id,
        actor=actor,
        comment=comment,
        target_user=comment.author,
        reason=reason.strip(),
    )


# --- corrections by site staff ----------------------------------------------------------------


@transaction.atomic
def correct_comment(comment: Comment, actor, body: str, reason: str) -> ModerationEvent:
    """Site staff change a comment's words (from the admin): the earlier text is kept as a
    revision by staff, with the reason, which the moderation log records too."""
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("Give a reason for changing someone else’s words.")
    body = (body or "").strip()
    if not body:
        raise ModerationError("A comment cannot be empty; hide it instead.")
    fresh = Comment.objects.select_for_update().get(pk=comment.pk)
    if fresh.state == CommentState.DELETED:
        raise ModerationError("This comment was deleted by its author.")
    if body == fresh.body:
        raise ModerationError("The text is unchanged: there is nothing to correct.")
    fresh.circle = comment.circle
    now = timezone.now()
    history.record(
        fresh, RevisionKind.EDIT, actor, reason=reason, role=ChangedByRole.STAFF, when=now
    )
    comment.body, comment.body_html = body, render_body(body, comment.circle)
    comment.edited_at = now
    comment.edited_by = actor
    comment._change_recorded = True  # recorded above, on the row as it was
    comment.save(update_fields=["body", "body_html", "edited_at", "edited_by"])
    ChapterDiscussion.bump(comment.circle_id, comment.chapter_id)
    return log(
        ModerationAction.STAFF_EDIT,
        circle=comment.circle_id,
        actor=actor,
        comment=comment,
        target_user=comment.author,
        reason=reason,
    )


# --- bans ------------------------------------------------------------------------------------


@transaction.atomic
def ban_member(circle: Circle, user, actor, reason: str) -> ModerationEvent:
    """Ban `user` from `circle`: they keep reading a public circle but no longer write or RSVP
    in it (their RSVPs to sessions still to come are withdrawn), and cannot rejoin. Someone
    who is not a member yet is banned all the same. A banned organizer loses the role; the
    last organizer cannot be banned."""
    membership = Membership.objects.select_for_update().filter(circle=circle, user=user).first()
    if membership is not None and membership.state == MembershipState.BANNED:
        raise ModerationError(f"{user} is already banned from {circle}.")
    if membership is not None and membership._is_last_organizer():
        raise LastOrganizer(f"{user} is {circle}’s only organizer and cannot be banned.")
    if membership is None:
        Membership.objects.create(
            circle=circle, user=user, role=Role.MEMBER, state=MembershipState.BANNED
        )
    else:
        membership.state, membership.role = MembershipState.BANNED, Role.MEMBER
        membership.save(update_fields=["state", "role"])
    # Their answers to sessions still to come no longer count (nor show on the session page).
    RSVP.objects.filter(
        user=user, meeting__circle=circle, meeting__starts_at__gt=timezone.now()
    ).delete()
    return log(
        ModerationAction.BAN, circle=circle, actor=actor, target_user=user, reason=reason.strip()
    )


@transaction.atomic
def unban_member(circle: Circle, user, actor, reason: str = "") -> ModerationEvent:
    """Lift a ban: the person is an active member again (with the member role)."""
    updated = Membership.objects.filter(
        circle=circle, user=user, state=MembershipState.BANNED
    ).update(state=MembershipState.ACTIVE, role=Role.MEMBER)
    if not updated:
        raise ModerationError(f"{user} is not banned from {circle}.")
    return log(
        ModerationAction.UNBAN, circle=circle, actor=actor, target_user=user, reason=reason.strip()
    )
