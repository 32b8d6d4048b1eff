"""The day-before reminders: `manage.py send_reminders` mails the members who have not said
they can't go, once per person and scheduled start (a session moved after its reminder is
reminded again for its new time), with a subject that says when in the recipient's own zone
("Today", "Tomorrow" or the weekday), and the top items of the session's agenda as the
member may read them (shared, visible threads within their horizon)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from circles.models import Meeting, RSVPAnswer
from discussions.agenda import top_items
from discussions.horizon import horizon_for

from .emails import build_message, recipients
from .models import EmailKind, ReminderSent

logger = logging.getLogger(__name__)


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
    kind = EmailKind.MEETING_REMINDER
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
                    agenda = top_items(meeting, user, horizon_for(user, meeting.circle, now=now))
                    build_message(user, kind, [meeting], now=now, agenda=agenda).send()
            except IntegrityError:
                continue  # another run got there first
            except OSError:
                logger.exception("Could not send a reminder to %s", user.email)
                continue  # the row was rolled back: the next run tries again
            done.append(line)
    return done
