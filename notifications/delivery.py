"""Mailing notifications: right away (a task queued on commit by `fanout`) or in the daily
digest, each notification once; see `fanout`'s docstring for the rules checked at send time.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from circles.models import Meeting, MeetingStatus, Membership, Role
from discussions.horizon import SHOW_PARAM, SHOW_VALUE

from . import emails
from .models import (
    DECISION_KINDS,
    FLAG_KINDS,
    EmailPreference,
    EmailState,
    Frequency,
    Notification,
    NotificationKind,
    mark_folded,
)

logger = logging.getLogger(__name__)

K = NotificationKind
MEETING_KINDS = frozenset({K.MEETING_SCHEDULED, K.MEETING_CHANGED, K.MEETING_CANCELLED})
MODERATING_ROLES = frozenset({Role.ORGANIZER, Role.MODERATOR})
# A right-away email still unsent after this long failed; `send_digests` tries it again.
RETRY_AFTER = timedelta(minutes=10)


def _pending(state: str):
    return (
        Notification.objects.filter(email=state)
        .select_related(
            "recipient",
            "actor",
            "circle",
            "comment__author",
            "comment__reading",
            "comment__chapter",
            "meeting",
            "reading",
            "flag",
        )
        .annotate(schedule_size=Count("schedule"))
    )


def send_now(ids: Iterable[int]) -> int:
    """Mail these notifications that still wait to be mailed right away; the emails sent.

    One email per notification, except sessions: one person's news about several sessions of
    one circle (a planned schedule) is one email."""
    by_person: dict[int, list[Notification]] = defaultdict(list)
    for row in _pending(EmailState.IMMEDIATE).filter(pk__in=list(ids)).order_by("pk"):
        by_person[row.recipient_id].append(row)
    # Each schedule's sessions (their ids, in one query), then the sessions of an
    # announcement looked up once for all the people it is mailed to.
    planned: dict[int, list[int]] = defaultdict(list)
    through = Notification.schedule.through.objects.filter(
        notification_id__in=[row.pk for rows in by_person.values() for row in rows]
    )
    for notification_id, meeting_id in through.values_list("notification_id", "meeting_id"):
        planned[notification_id].append(meeting_id)
    sessions: dict[tuple[int, ...], list[Meeting]] = {}

    def build(user: User, rows: list[Notification]) -> EmailMultiAlternatives:
        ids = tuple(sorted({pk for row in rows for pk in planned[row.pk] or [row.meeting_id]}))
        if rows[0].kind in MEETING_KINDS and ids not in sessions:
            sessions[ids] = list(Meeting.objects.for_display().filter(pk__in=ids))
        return _immediate_message(user, rows, sessions.get(ids, []))

    sent = 0
    for rows in by_person.values():
        groups: dict[tuple, list[Notification]] = defaultdict(list)
        for row in rows:
            key = (row.kind, row.circle_id) if row.kind in MEETING_KINDS else (row.pk,)
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
            mark_folded(allowed, user)
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
    roles = dict(
        Membership.objects.active()
        .filter(user=user, circle_id__in={row.circle_id for row in rows})
        .values_list("circle_id", "role")
    )
    circles = set(roles)
    moderates = {pk for pk, role in roles.items() if role in MODERATING_ROLES}
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
        and (row.kind not in FLAG_KINDS or row.circle_id in moderates)
        and not (
            row.kind == K.MEETING_SCHEDULED
            and row.meeting_id
            and row.meeting.status != MeetingStatus.SCHEDULED
        )
    ]


# --- what the emails say ---------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _item(row: Notification) -> dict:
    """What an email says about one notification: never a hidden comment's words, nor words
    on a chapter beyond the recipient's horizon (`mark_folded`), whose link shows them
    anyway."""
    url = row.target_url
    folded = row.folded and bool(row.words)
    if folded:
        path, _, fragment = url.partition("#")
        url = f"{path}?{SHOW_PARAM}={SHOW_VALUE}" + (f"#{fragment}" if fragment else "")
    return {
        "notification": row,
        "headline": row.headline,
        "place": row.place,
        "excerpt": row.excerpt,
        "folded": row.folded_chapter if folded else "",
        "note": row.note,
        "moderates": row.kind in FLAG_KINDS,
        "url": _absolute(url),
    }


def _message(
    user: User, *, subject: str, kind: str, template: str, context: dict
) -> EmailMultiAlternatives:
    context |= {
        "user": user,
        "stop_url": emails.stop_url(user, kind),
        "stop_label": emails.stop_label(kind),
        "settings_url": _absolute(reverse("notifications:notification-settings")),
        "time_zone": user.time_zone or "UTC",
    }
    return emails.compose(user, subject=subject, template=template, context=context)


def _immediate_message(
    user: User, rows: list[Notification], sessions: list[Meeting]
) -> EmailMultiAlternatives:
    """One notification's email, or one person's about `sessions`."""
    first = rows[0]
    if first.kind in MEETING_KINDS:
        return emails.build_message(user, first.kind, sessions)
    item = _item(first)
    return _message(
        user,
        subject=f"{first.circle.name}: {item['headline']}",
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
            "list_url": _absolute(reverse("notifications:notification-list")),
        },
    )
