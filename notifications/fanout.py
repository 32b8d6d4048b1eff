"""Notifications: who is told what, in the app and by email.

Fan-out. The apps below announce what happened with their signals, once their write has
committed (`circles.signals`, `discussions.signals`); `connect()`, called from this app's
`ready()`, hands each to one function here:
- `comment_posted`: the parent's author (reply), the thread's other authors (thread) and the
  members the comment @mentions (mention); one notification per person, the strongest kind
  winning (mention > reply > thread); never for private notes;
- `meetings_announced`: every member, one row per announcement (a session scheduled, changed
  or cancelled, or a schedule of several planned at once: one row for all of them);
- `comment_hidden` / `comment_restored`: the comment's author;
- `join_requested`: the circle's organizers; `join_decided`: the person who asked;
- `text_replaced`: the organizers of every circle reading a text that staff replaced, once
  per circle, with how many of its threads need re-attaching.
- `flag_raised`: the circle's moderators and organizers, but not the member who flagged nor
  the comment's author (one who moderates does not review their own comment): "X flagged
  Y's comment", or, when this flag hid it, "Flags hid Y's comment" (from nobody).
Nobody is notified of what they did themselves, and only ACTIVE members of the circle (whose
account is active) are notified at all: people who left or were banned get nothing, in every
circle. The one exception is the answer to someone's own join request (DECISION_KINDS), which
reaches them though they are not (or no longer) a member, unless they are banned from it.
Reading the list (`Notification.objects.for_user`) hides notifications from circles the person
is no longer in, but for those answers, and news of flags once they no longer moderate (their
email is not sent then either).

Email. Each row records how it is to be mailed, from the person's preference for its kind
(no preference = right away): `immediate` rows are sent by a task queued when the rows
commit (`delivery.send_now`), `digest` rows by `manage.py send_digests`
(`delivery.send_digests`). Both claim
each row with a conditional UPDATE (`email=<pending>` → `sent`) inside the transaction that
sends, so two workers or two digest runs never mail one notification twice, and a failed send
rolls the claim back. At send time everything is checked again: the person is still an active
member of the circle, with an active account and an address, and has not since chosen
"never"; a comment that was hidden or deleted meanwhile is mailed without its text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from circles import signals as circles_signals
from circles.models import (
    Circle,
    JoinRequest,
    JoinRequestState,
    Meeting,
    Membership,
    MembershipState,
    Role,
)
from circles.signals import MeetingChange
from discussions import signals as discussions_signals
from discussions.models import Comment, CommentState, Flag
from readings import signals as readings_signals
from readings.models import Reading

from .models import (
    DECISION_KINDS,
    EmailPreference,
    EmailState,
    Frequency,
    Notification,
    NotificationKind,
)

K = NotificationKind
# Lower wins when one comment concerns someone in several ways.
RANK = {K.MENTION: 0, K.REPLY: 1, K.THREAD: 2}


# --- fan-out ---------------------------------------------------------------------------------


def comment_posted(comment: Comment, *, mentioned: Iterable[int] = ()) -> list[Notification]:
    """Tell the people a new comment or reply concerns (see the module docstring);
    `mentioned`: the members its body links by an @mention."""
    if comment.is_private or comment.state != CommentState.VISIBLE:
        return []
    wanted: dict[int, str] = {}

    def offer(user_id: int | None, kind: str) -> None:
        if user_id is not None and (user_id not in wanted or RANK[kind] < RANK[wanted[user_id]]):
            wanted[user_id] = kind

    if comment.root_id:
        thread = Comment.objects.in_thread(comment.root_id)
        authors = thread.exclude(state=CommentState.DELETED).values_list("author_id", flat=True)
        for author_id in set(authors):
            offer(author_id, K.THREAD)
        offer(comment.parent.author_id, K.REPLY)
    for user_id in mentioned:
        offer(user_id, K.MENTION)
    return _create(
        list(wanted.items()),
        circle_id=comment.circle_id,
        actor_id=comment.author_id,
        comment=comment,
    )


def meetings_announced(meetings: list[Meeting], kind: str, *, by: User | None) -> None:
    """Tell the circle's members that these sessions (all of one circle) were scheduled,
    changed or cancelled: one notification per session and person, and one email per person
    (a planned schedule of several sessions is one email)."""
    if not meetings:
        return
    actor_id = by.pk if by is not None else None
    people = (
        Membership.objects.active()
        .filter(circle_id=meetings[0].circle_id)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    _create(
        [(user_id, kind) for user_id in people],
        circle_id=meetings[0].circle_id,
        actor_id=actor_id,
        meetings=meetings,
    )


def comment_hidden(comment: Comment, actor=None) -> list[Notification]:
    """Tell the author a moderator hid their comment (`actor` None: hidden by flags)."""
    return _tell_author(comment, K.COMMENT_HIDDEN, actor)


def comment_restored(comment: Comment, actor=None) -> list[Notification]:
    """Tell the author their hidden comment is shown again."""
    return _tell_author(comment, K.COMMENT_RESTORED, actor)


def _tell_author(comment: Comment, kind: str, actor) -> list[Notification]:
    if comment.is_private or comment.author_id is None:
        return []
    if actor is not None and actor.pk == comment.author_id:
        return []
    return _create(
        [(comment.author_id, kind)],
        circle_id=comment.circle_id,
        actor_id=actor.pk if actor is not None else None,
        comment=comment,
    )


def join_requested(join_request: JoinRequest) -> list[Notification]:
    """Tell the circle's organizers that someone asks to join it."""
    organizers = (
        Membership.objects.active()
        .filter(circle_id=join_request.circle_id, role=Role.ORGANIZER)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    return _create(
        [(user_id, K.JOIN_REQUESTED) for user_id in organizers],
        circle_id=join_request.circle_id,
        actor_id=join_request.user_id,
    )


def join_decided(join_request: JoinRequest) -> list[Notification]:
    """Tell the person who asked to join what the organizers decided."""
    approved = join_request.state == JoinRequestState.APPROVED
    return _create(
        [(join_request.user_id, K.JOIN_APPROVED if approved else K.JOIN_DECLINED)],
        circle_id=join_request.circle_id,
        actor_id=join_request.decided_by_id,
    )


def text_replaced(reading: Reading, replaced_by_id: int | None, report: dict) -> list[Notification]:
    """Tell the organizers of every circle reading `reading` that its text was replaced, with
    how many of the circle's threads the replacement orphaned (from the re-anchoring's
    report)."""
    details = report.get("threads", {}).get("details", [])
    orphaned = Counter(d.get("circle_id") for d in details if d.get("fate") == "orphaned")
    notices = []
    for circle_id in Circle.objects.filter(readings=reading).values_list("pk", flat=True):
        organizers = (
            Membership.objects.active()
            .filter(circle_id=circle_id, role=Role.ORGANIZER)
            .values_list("user_id", flat=True)
        )
        notices += _create(
            [(user_id, K.TEXT_REPLACED) for user_id in organizers],
            circle_id=circle_id,
            actor_id=replaced_by_id,
            reading=reading,
            thread_count=orphaned[circle_id],
        )
    return notices


def flag_raised(flag: Flag, *, hidden: bool) -> list[Notification]:
    """Tell the circle's moderators and organizers that a member flagged a comment, or that
    flags have hidden it pending their review."""
    comment = flag.comment
    moderators = (
        Membership.objects.active()
        .filter(circle_id=comment.circle_id, role__in=[Role.ORGANIZER, Role.MODERATOR])
        .exclude(user_id__in=[pk for pk in (flag.reporter_id, comment.author_id) if pk])
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    kind = K.FLAG_HIDDEN if hidden else K.FLAG_RAISED
    return _create(
        [(user_id, kind) for user_id in moderators],
        circle_id=comment.circle_id,
        actor_id=None if hidden else flag.reporter_id,
        comment=comment,
        flag=flag,
    )


def _create(
    wanted: list[tuple[int, str]],
    *,
    circle_id: int,
    actor_id: int | None,
    comment: Comment | None = None,
    meetings: list[Meeting] | None = None,
    reading: Reading | None = None,
    thread_count: int = 0,
    flag: Flag | None = None,
) -> list[Notification]:
    """Notification rows for the active members among `wanted` (one about all `meetings`,
    for a schedule of several), each with its email state; the right-away ones are queued, in
    one task, to be mailed once the transaction commits."""
    ids = {user_id for user_id, _ in wanted if user_id != actor_id}
    if not ids:
        return []
    askers = {user_id for user_id, kind in wanted if kind in DECISION_KINDS}
    members = Membership.objects.filter(circle_id=circle_id, state=MembershipState.ACTIVE)
    banned = Membership.objects.filter(circle_id=circle_id, state=MembershipState.BANNED)
    addresses = dict(
        User.objects.filter(pk__in=ids, is_active=True)
        .filter(Q(pk__in=members.values("user_id")) | Q(pk__in=askers))
        .exclude(pk__in=banned.values("user_id"))
        .values_list("pk", "email")
    )
    if not addresses:
        return []
    kinds = {kind for _, kind in wanted}
    chosen = {
        (user_id, kind): frequency
        for user_id, kind, frequency in EmailPreference.objects.filter(
            user_id__in=addresses, kind__in=kinds
        ).values_list("user_id", "kind", "frequency")
    }
    now = timezone.now()
    rows = [
        Notification(
            recipient_id=user_id,
            kind=kind,
            circle_id=circle_id,
            actor_id=actor_id,
            comment=comment,
            meeting=meetings[0] if meetings else None,
            reading=reading,
            thread_count=thread_count,
            flag=flag,
            created_at=now,
            email=_email_state(addresses[user_id], chosen.get((user_id, kind))),
        )
        for user_id, kind in wanted
        if user_id in addresses
    ]
    with transaction.atomic():
        rows = Notification.objects.bulk_create(rows)
        User.bump_notices(*{row.recipient_id for row in rows})
    if meetings and len(meetings) > 1:
        Notification.schedule.through.objects.bulk_create(
            Notification.schedule.through(notification_id=row.pk, meeting_id=meeting.pk)
            for row in rows
            for meeting in meetings
        )
    queue_emails([row.pk for row in rows if row.email == EmailState.IMMEDIATE])
    return rows


def _email_state(address: str, frequency: str | None) -> str:
    if not address or frequency == Frequency.NEVER:
        return EmailState.NONE
    if frequency == Frequency.DIGEST:
        return EmailState.DIGEST
    return EmailState.IMMEDIATE


def queue_emails(ids: list[int]) -> None:
    """After the current transaction commits, queue the task that mails these right away."""
    if not ids:
        return
    from .tasks import send_notification_emails_task  # the task imports this module

    transaction.on_commit(lambda: send_notification_emails_task.enqueue(ids))


# --- listening -------------------------------------------------------------------------------

KIND_OF_CHANGE = {
    MeetingChange.SCHEDULED: K.MEETING_SCHEDULED,
    MeetingChange.CHANGED: K.MEETING_CHANGED,
    MeetingChange.CANCELLED: K.MEETING_CANCELLED,
}


def _on_meetings(sender, *, meetings, change, by, **kwargs) -> None:
    meetings_announced(meetings, KIND_OF_CHANGE[change], by=by)


def _on_join_requested(sender, *, join_request, **kwargs) -> None:
    join_requested(join_request)


def _on_join_decided(sender, *, join_request, **kwargs) -> None:
    join_decided(join_request)


def _on_text_replaced(sender, *, reading, replacement, report, **kwargs) -> None:
    text_replaced(reading, replacement.replaced_by_id, report)


def _on_comment_posted(sender, *, comment, mentioned=(), **kwargs) -> None:
    comment_posted(comment, mentioned=mentioned)


def _on_comment_hidden(sender, *, comment, actor=None, **kwargs) -> None:
    comment_hidden(comment, actor)


def _on_comment_restored(sender, *, comment, actor=None, **kwargs) -> None:
    comment_restored(comment, actor)


def _on_flag_raised(sender, *, flag, hidden=False, **kwargs) -> None:
    flag_raised(flag, hidden=hidden)


def connect() -> None:
    """Listen to what the apps below announce (called once, from `AppConfig.ready`)."""
    pairs = [
        (circles_signals.meetings_announced, _on_meetings),
        (circles_signals.join_requested, _on_join_requested),
        (circles_signals.join_decided, _on_join_decided),
        (discussions_signals.comment_posted, _on_comment_posted),
        (readings_signals.text_replaced, _on_text_replaced),
        (discussions_signals.comment_hidden, _on_comment_hidden),
        (discussions_signals.comment_restored, _on_comment_restored),
        (discussions_signals.flag_raised, _on_flag_raised),
    ]
    for signal, receiver in pairs:
        signal.connect(receiver, dispatch_uid=f"notifications.{receiver.__name__}")
