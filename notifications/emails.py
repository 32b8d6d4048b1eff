"""Emails about sessions: who gets them, what they say, and the one-click way to stop them.

Sessions scheduled, changed or cancelled are notifications (`fanout`), mailed by a background
task queued after the write commits, with `build_message` below; reminders are sent by
`manage.py send_reminders` (`reminders`). Every message (the notification emails and the
daily digest too) carries a signed link that stops that kind of email (or the digest), also
offered to mail programs as `List-Unsubscribe` (RFC 8058 one-click).
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from circles.models import Meeting, MembershipState

from .models import EmailKind, EmailPreference, Frequency

# The salt signed stop links were made with (kept: links already mailed keep working).
STOP_SALT = "discussions.emails.stop"
# The stop link of the daily digest: every kind now on the digest becomes "never".
DIGEST = "digest"

SUBJECTS = {
    EmailKind.MEETING_SCHEDULED: "New session in {circle}: {title}",
    EmailKind.MEETING_CHANGED: "Session changed in {circle}: {title}",
    EmailKind.MEETING_CANCELLED: "Session cancelled in {circle}: {title}",
    EmailKind.MEETING_REMINDER: "{when} in {circle}: {title}",
}
PLANNED_SUBJECT = "{count} new sessions in {circle}"
INTROS = {
    EmailKind.MEETING_SCHEDULED: "A session has been scheduled in {circle}.",
    EmailKind.MEETING_CHANGED: "A session in {circle} has changed. Here it is as it stands now.",
    EmailKind.MEETING_CANCELLED: "This session in {circle} has been cancelled.",
    EmailKind.MEETING_REMINDER: "A reminder: {circle} meets soon.",
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
    return settings.SITE_URL + reverse("notifications:email-stop", args=[stop_token(user, kind)])


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
    label = EmailKind(kind).label
    return label[0].lower() + label[1:]  # "Someone mentions me" → "someone mentions me"; "I" stays


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
    user: User,
    kind: str,
    meetings: list[Meeting],
    *,
    now: datetime | None = None,
    agenda: list | None = None,
) -> EmailMultiAlternatives:
    """One person's email about one or more sessions of one circle, in their time zone;
    `agenda`: the top items of the (one) session's agenda, as `discussions.agenda` gives them."""
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
        "agenda": agenda or [],
    }
    return compose(user, subject=subject, template="session", context=context)


def compose(user: User, *, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    """An email to `user` from `notifications/email/<template>.txt` and `.html`, rendered in
    their time zone (`context["time_zone"]`), with the one-click stop link
    (`context["stop_url"]`) also offered to mail programs as `List-Unsubscribe`."""
    with timezone.override(zoneinfo.ZoneInfo(context["time_zone"])):
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
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
