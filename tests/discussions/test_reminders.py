"""`manage.py send_session_reminders`: the day before, once per session and person."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from discussions.models import EmailKind, EmailPreference, Frequency, ReminderSent
from tests.factories import make_circle, make_meeting, make_reading, make_user


@pytest.fixture
def circle(organizer, member):
    circle = make_circle(organizer, readings=[make_reading(chapters=2)])
    circle.add_member(member)
    return circle


def remind(*args: str) -> str:
    out = StringIO()
    call_command("send_session_reminders", *args, stdout=out)
    return out.getvalue()


def test_reminders_go_once_even_when_run_twice(circle, organizer, member, mailoutbox):
    tomorrow = make_meeting(circle, starts_at=timezone.now() + timedelta(hours=20))
    make_meeting(circle, starts_at=timezone.now() + timedelta(days=3))  # too early to remind
    remind()
    remind()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([organizer.email, member.email])
    assert all(m.subject.startswith("[Marginalia] Tomorrow in Tuesday Readers") for m in mailoutbox)
    assert ReminderSent.objects.filter(meeting=tomorrow).count() == 2


def test_a_later_run_reminds_for_sessions_that_came_into_range(circle, member, mailoutbox):
    make_meeting(circle, starts_at=timezone.now() + timedelta(hours=30))
    remind()
    assert mailoutbox == []
    with time_machine.travel(timezone.now() + timedelta(hours=8)):
        remind()
    assert len(mailoutbox) == 2


def test_cancelled_sessions_opted_out_people_and_outsiders_get_no_reminder(
    circle, organizer, member, mailoutbox
):
    cancelled = make_meeting(circle, starts_at=timezone.now() + timedelta(hours=5))
    cancelled.cancel()
    make_meeting(circle, starts_at=timezone.now() + timedelta(hours=5))
    make_user("someone@example.org")
    EmailPreference.set(organizer, EmailKind.SESSION_REMINDER, Frequency.NEVER)
    remind()
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert "List-Unsubscribe" in mailoutbox[0].extra_headers


def test_dry_run_sends_and_records_nothing(circle, member, mailoutbox):
    make_meeting(circle, starts_at=timezone.now() + timedelta(hours=2))
    output = remind("--dry-run")
    assert "Would remind 2 people." in output
    assert mailoutbox == []
    assert not ReminderSent.objects.exists()


def test_a_reminder_already_recorded_is_not_sent_again(circle, organizer, member, mailoutbox):
    meeting = make_meeting(circle, starts_at=timezone.now() + timedelta(hours=2))
    ReminderSent.objects.create(meeting=meeting, user=member)  # e.g. another worker's run
    remind()
    assert [m.to for m in mailoutbox] == [[organizer.email]]
