"""Notifications: who is told what, in the app and by email.

Fan-out. The write services call one function here inside their own transaction, so the
notification rows exist exactly when the write does:
- `comment_posted`: the parent's author (reply), the thread's other authors (thread) and the
  members the comment @mentions (mention); one notification per person, the strongest kind
  winning (mention > reply > thread); never for private notes;
- `sessions_announced`: every member, one row per session (scheduled, changed, cancelled);
- `comment_hidden` / `comment_restored`: the comment's author;
- `join_requested`: the circle's organizers; `join_decided`: the person who asked.
Nobody is notified of what they did themselves, and only ACTIVE members of the circle (whose
account is active) are notified at all: people who left or were banned get nothing, in every
circle. The one exception is the answer to someone's own join request (DECISION_KINDS), which
reaches them though they are not (or no longer) a member, unless they are banned from it.
Reading the list (`Notification.objects.for_user`) hides notifications from circles the person
is no longer in, but for those answers.

Email. Each row records how it is to be mailed, from the person's preference for its kind
(no preference = right away): `immediate` rows are sent by a task queued when the write
commits (`send_now`), `digest` rows by `manage.py send_digests` (`send_digests`). Both claim
each row with a conditional UPDATE (`email=<pending>` → `sent`) inside the transaction that
sends, so two workers or two digest runs never mail one notification twice, and a failed send
rolls the claim back. At send time everything is checked again: the person is still an active
member of the circle, with an active account and an address, and has not since chosen
"never"; a comment that was hidden or deleted meanwhile is mailed without its text.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

from . import emails
from .models import (
    Comment,
    CommentState,
    EmailPreference,
    EmailState,
    Frequency,
    JoinRequest,
    JoinRequestState,
    Meeting,
    MeetingStatus,
    Membership,
    MembershipState,
    Notification,
    NotificationKind,
    Role,
)
from .models.notifications import DECISION_KINDS

logger = logging.getLogger(__name__)

K = NotificationKind
SESSION_KINDS = frozenset({K.SESSION_SCHEDULED, K.SESSION_CHANGED, K.SESSION_CANCELLED})
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


def sessions_announced(meetings: list[Meeting], kind: str, *, by: User | None) -> None:
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


def _create(
    wanted: list[tuple[int, str]],
    *,
    circle_id: int,
    actor_id: int | None,
    comment: Comment | None = None,
    meetings: list[Meeting] | None = None,
) -> list[Notification]:
    """Notification rows for the active members among `wanted` (one per session, for
    sessions), each with its email state; the right-away ones are queued, in one task, to be
    mailed once the transaction commits."""
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
            meeting=meeting,
            created_at=now,
            email=_email_state(addresses[user_id], chosen.get((user_id, kind))),
        )
        for meeting in meetings or [None]
        for user_id, kind in wanted
        if user_id in addresses
    ]
    rows = Notification.objects.bulk_create(rows)
    queue_emails([row.pk for row in rows if row.email == EmailState.IMMEDIATE])
    return rows


def _email_state(address: str, frequency: str | None) -> str:
    if not address or frequency == Frequency.NEVER:
        return EmailState.NONE
    if frequency == Frequency.DIGEST:
        return EmailState.DIGEST
    return EmailState.IMMEDIATE


# A right-away email still unsent after this long failed; `send_digests` tries it again.
RETRY_AFTER = timedelta(minutes=10)


def queue_emails(ids: list[int]) -> None:
    """After the current transaction commits, queue the task that mails these right away."""
    if not ids:
        return
    from .tasks import send_notification_emails_task

    transaction.on_commit(lambda: send_notification_emails_task.enqueue(ids))


# --- sending ---------------------------------------------------------------------------------


def _pending(state: str):
    return Notification.objects.filter(email=state).select_related(
        "recipient", "actor", "circle", "comment__reading", "comment__chapter", "meeting"
    )


def send_now(ids: Iterable[int]) -> int:
    """Mail these notifications that still wait to be mailed right away; the emails sent.

    One email per notification, except sessions: one person's news about several sessions of
    one circle (a planned schedule) is one email."""
    by_person: dict[int, list[Notification]] = defaultdict(list)
    for row in _pending(EmailState.IMMEDIATE).filter(pk__in=list(ids)).order_by("pk"):
        by_person[row.recipient_id].append(row)
    # The sessions of an announcement, looked up once for all the people it is mailed to.
    sessions: dict[tuple[int, ...], list[Meeting]] = {}

    def build(user: User, rows: list[Notification]) -> EmailMultiAlternatives:
        return _immediate_message(user, rows, sessions)

    sent = 0
    for rows in by_person.values():
        groups: dict[tuple, list[Notification]] = defaultdict(list)
        for row in rows:
            key = (row.kind, row.circle_id) if row.kind in SESSION_KINDS else (row.pk,)
            groups[key].append(row)
        for group in groups.values():
            sent += _deliver(group, EmailState.IMMEDIATE, build)
    return sent


def retry_unsent(now=None) -> int:
    """Mail the right-away notifications whose email could not go out (the mail server was
    down when their task ran) and that waited more than RETRY_AFTER; the emails sent."""
    cutoff = (now or timezone.now()) - RETRY_AFTER
    stuck = Notification.objects.filter(email=EmailState.IMMEDIATE, created_at__lt=cutoff)
    return send_now(list(stuck.values_list("pk", flat=True)))


def due_digests():
    """Notifications waiting for the digest, oldest first."""
    return _pending(EmailState.DIGEST).order_by("recipient_id", "created_at", "pk")


def send_digests(*, dry_run: bool = False) -> list[str]:
    """One email per person with everything waiting for their digest; what was (or would be)
    sent, as lines. Safe to run again and concurrently: each notification is mailed once."""
    by_person: dict[int, list[Notification]] = defaultdict(list)
    for row in due_digests():
        by_person[row.recipient_id].append(row)
    done: list[str] = []
    for rows in by_person.values():
        user = rows[0].recipient
        line = f"{user.email}: {len(rows)} notification{'s' if len(rows) != 1 else ''}"
        if dry_run or _deliver(rows, EmailState.DIGEST, _digest_message):
            done.append(line)
    return done


def _deliver(rows: list[Notification], state: str, build) -> int:
    """Claim `rows` (one person's), drop those no longer allowed, mail the rest in one email
    built by `build(user, rows)`. 1 if an email went out."""
    user = rows[0].recipient
    now = timezone.now()
    try:
        with transaction.atomic():
            claimed = [
                row
                for row in rows
                if Notification.objects.filter(pk=row.pk, email=state).update(
                    email=EmailState.SENT, emailed_at=now
                )
            ]
            allowed = _still_allowed(user, claimed)
            dropped = [row.pk for row in claimed if row not in allowed]
            if dropped:
                Notification.objects.filter(pk__in=dropped).update(
                    email=EmailState.NONE, emailed_at=None
                )
            if not allowed:
                return 0
            build(user, allowed).send()
    except Exception:
        # Rolled back: the rows wait for the next try (`retry_unsent`, `send_digests`), and
        # one person's failure does not stop the others' emails.
        logger.exception("Could not email %s; they stay pending for the next try", user.email)
        return 0
    return 1


def _still_allowed(user: User, rows: list[Notification]) -> list[Notification]:
    """The rows that may still be mailed to `user` (see the module docstring)."""
    if not rows or not user.is_active or not user.email:
        return []
    circles = set(
        Membership.objects.active()
        .filter(user=user, circle_id__in={row.circle_id for row in rows})
        .values_list("circle_id", flat=True)
    )
    never = set(
        EmailPreference.objects.filter(user=user, frequency=Frequency.NEVER).values_list(
            "kind", flat=True
        )
    )
    return [
        row
        for row in rows
        if (row.circle_id in circles or row.kind in DECISION_KINDS)
        and row.kind not in never
        and not (
            row.kind == K.SESSION_SCHEDULED
            and row.meeting_id
            and row.meeting.status != MeetingStatus.SCHEDULED
        )
    ]


# --- what the emails say ---------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _item(row: Notification) -> dict:
    """What an email says about one notification (never a hidden comment's words)."""
    return {
        "notification": row,
        "headline": row.headline,
        "place": row.place,
        "excerpt": row.excerpt,
        "note": row.note,
        "url": _absolute(row.target_url),
    }


def _message(
    user: User, *, subject: str, kind: str, template: str, context: dict
) -> EmailMultiAlternatives:
    context |= {
        "user": user,
        "stop_url": emails.stop_url(user, kind),
        "stop_label": emails.stop_label(kind),
        "settings_url": _absolute(reverse("discussions:notification-settings")),
        "time_zone": user.time_zone or "UTC",
    }
    return emails.compose(user, subject=subject, template=template, context=context)


def _immediate_message(
    user: User, rows: list[Notification], sessions: dict[tuple[int, ...], list[Meeting]]
) -> EmailMultiAlternatives:
    """One notification's email, or one person's about sessions; `sessions` keeps the
    sessions already looked up, by their ids."""
    first = rows[0]
    if first.kind in SESSION_KINDS:
        ids = tuple(row.meeting_id for row in rows)
        if ids not in sessions:
            sessions[ids] = list(Meeting.objects.for_display().filter(pk__in=ids))
        return emails.build_message(user, first.kind, sessions[ids])
    item = _item(first)
    return _message(
        user,
        subject=f"{item['headline']} in {first.circle.name}",
        kind=first.kind,
        template="notification",
        context={"item": item, "circle": first.circle},
    )


def _digest_message(user: User, rows: list[Notification]) -> EmailMultiAlternatives:
    by_circle: dict[int, dict] = {}
    for row in rows:
        group = by_circle.setdefault(row.circle_id, {"circle": row.circle, "items": []})
        group["items"].append(_item(row))
    count = len(rows)
    return _message(
        user,
        subject=f"Your daily digest: {count} notification{'s' if count != 1 else ''}",
        kind=emails.DIGEST,
        template="digest",
        context={
            "count": count,
            "circles": sorted(by_circle.values(), key=lambda group: group["circle"].name),
            "list_url": _absolute(reverse("discussions:notification-list")),
        },
    )
