"""Emails about sessions: who gets them, what they say, and the one-click way to stop them.

Sessions scheduled, changed or cancelled are notifications (discussions.notify), mailed by a
background task queued after the write commits, with `build_message` below; reminders are
sent by `manage.py send_session_reminders` to the members who have not said they can't go,
once per person and scheduled start (a session moved after its reminder is reminded again for
its new time), with a subject that says when in the recipient's own zone ("Today", "Tomorrow"
or the weekday). Every message (the notification emails and the
daily digest too) carries a signed link that stops that kind of email (or the digest), also
offered to mail programs as `List-Unsubscribe` (RFC 8058 one-click).
"""

from __future__ import annotations

import logging
import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

from .models import (
    EmailKind,
    EmailPreference,
    Frequency,
    Meeting,
    MembershipState,
    ReminderSent,
    RSVPAnswer,
)

logger = logging.getLogger(__name__)

STOP_SALT = "discussions.emails.stop"
# The stop link of the daily digest: every kind now on the digest becomes "never".
DIGEST = "digest"

SUBJECTS = {
    EmailKind.SESSION_SCHEDULED: "New session in {circle}: {title}",
    EmailKind.SESSION_CHANGED: "Session changed in {circle}: {title}",
    EmailKind.SESSION_CANCELLED: "Session cancelled in {circle}: {title}",
    EmailKind.SESSION_REMINDER: "{when} in {circle}: {title}",
}
PLANNED_SUBJECT = "{count} new sessions in {circle}"
INTROS = {
    EmailKind.SESSION_SCHEDULED: "A session has been scheduled in {circle}.",
    EmailKind.SESSION_CHANGED: "A session in {circle} has changed. Here it is as it stands now.",
    EmailKind.SESSION_CANCELLED: "This session in {circle} has been cancelled.",
    EmailKind.SESSION_REMINDER: "A reminder: {circle} meets soon.",
}
PLANNED_INTRO = "A schedule of {count} sessions has been planned in {circle}."


# --- the stop link --------------------------------------------------------------------------


def stop_token(user: User, kind: str) -> str:
    return signing.dumps([user.pk, str(kind)], salt=STOP_SALT, compress=True)


def read_stop_token(token: str) -> tuple[User, str]:
    """The person and kind a stop link is for; BadSignature (or User.DoesNotExist) if none."""
    user_id, kind = signing.loads(token, salt=STOP_SALT)
    if kind not in EmailKind.values and kind != DIGEST:
        raise signing.BadSignature("Unknown kind of email.")
    return User.objects.get(pk=user_id), kind


def stop_url(user: User, kind: str) -> str:
    return settings.SITE_URL + reverse("discussions:email-stop", args=[stop_token(user, kind)])


def stop(user: User, kind: str) -> None:
    if kind == DIGEST:
        EmailPreference.objects.filter(user=user, frequency=Frequency.DIGEST).update(
            frequency=Frequency.NEVER
        )
        return
    EmailPreference.set(user, kind, Frequency.NEVER)


def stop_label(kind: str) -> str:
    """What a stop link stops, to finish "You get an email when: …"."""
    if kind == DIGEST:
        return "your daily digest is ready"
    return EmailKind(kind).label.lower()


# --- who and what ---------------------------------------------------------------------------


def recipients(circle_id: int, kind: str):
    """Active members of the circle, with an address, who did not opt out of `kind`."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__circle_id=circle_id,
            memberships__state=MembershipState.ACTIVE,
        )
        .exclude(pk__in=EmailPreference.objects.opted_out(kind))
        .exclude(email="")
        .order_by("pk")
    )


def time_zone_of(user: User, meeting: Meeting) -> str:
    """The zone a person reads a session's times in: theirs, else the circle's."""
    return user.time_zone or meeting.circle.time_zone


def when_label(starts_at: datetime, time_zone: str, now: datetime | None = None) -> str:
    """ "Today", "Tomorrow" or the weekday of `starts_at`, by the calendar of `time_zone`."""
    zone = zoneinfo.ZoneInfo(time_zone)
    day: date = starts_at.astimezone(zone).date()
    today = (now or timezone.now()).astimezone(zone).date()
    if day == today:
        return "Today"
    if day == today + timedelta(days=1):
        return "Tomorrow"
    return f"{day:%A} {day.day} {day:%B}"


def build_message(
    user: User, kind: str, meetings: list[Meeting], *, now: datetime | None = None
) -> EmailMultiAlternatives:
    """One person's email about one or more sessions of one circle, in their time zone."""
    first = meetings[0]
    circle = first.circle
    time_zone = time_zone_of(user, first)
    if len(meetings) > 1:
        subject = PLANNED_SUBJECT.format(count=len(meetings), circle=circle.name)
        intro = PLANNED_INTRO.format(count=len(meetings), circle=circle.name)
    else:
        when = when_label(first.starts_at, time_zone, now)
        subject = SUBJECTS[kind].format(circle=circle.name, title=first.title, when=when)
        intro = INTROS[kind].format(circle=circle.name)
    unsubscribe = stop_url(user, kind)
    context = {
        "user": user,
        "intro": intro,
        "circle": circle,
        "sessions": [
            {"meeting": meeting, "url": settings.SITE_URL + meeting.get_absolute_url()}
            for meeting in meetings
        ],
        "kind_label": EmailKind(kind).label,
        "stop_url": unsubscribe,
        "time_zone": time_zone,
    }
    return compose(user, subject=subject, template="session", context=context)


def compose(user: User, *, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    """An email to `user` from `email/<template>.txt` and `.html`, rendered in their time zone
    (`context["time_zone"]`), with the one-click stop link (`context["stop_url"]`) also
    offered to mail programs as `List-Unsubscribe`."""
    with timezone.override(zoneinfo.ZoneInfo(context["time_zone"])):
        text = render_to_string(f"email/{template}.txt", context)
        html = render_to_string(f"email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{context['stop_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


# --- reminders ------------------------------------------------------------------------------


def due_for_reminder(now: datetime | None = None):
    """Scheduled sessions that start within the next 24 hours."""
    now = now or timezone.now()
    return (
        Meeting.objects.scheduled()
        .filter(starts_at__gt=now, starts_at__lte=now + timedelta(hours=24))
        .for_display()
    )


def send_due_reminders(now: datetime | None = None, *, dry_run: bool = False) -> list[str]:
    """Remind each member once per session and start time, unless they said they can't go
    (the ReminderSent row is written first, in the same transaction as the send, so two runs
    never send twice). What was sent, as lines."""
    kind = EmailKind.SESSION_REMINDER
    done: list[str] = []
    for meeting in due_for_reminder(now):
        already = ReminderSent.objects.filter(meeting=meeting, starts_at=meeting.starts_at).values(
            "user_id"
        )
        not_coming = meeting.rsvps.filter(answer=RSVPAnswer.NO).values("user_id")
        people = recipients(meeting.circle_id, kind).exclude(pk__in=already)
        for user in people.exclude(pk__in=not_coming):
            line = f"{user.email}: {meeting.title} ({meeting.circle.name})"
            if dry_run:
                done.append(line)
                continue
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(
                        meeting=meeting, user=user, starts_at=meeting.starts_at
                    )
                    build_message(user, kind, [meeting], now=now).send()
            except IntegrityError:
                continue  # another run got there first
            except OSError:
                logger.exception("Could not send a reminder to %s", user.email)
                continue  # the row was rolled back: the next run tries again
            done.append(line)
    return done
