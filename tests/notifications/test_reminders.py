"""`manage.py send_reminders`: the day before, once per session, person and start
time; not to those who said they can't go; the subject says when in the reader's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from circles.models import RSVPAnswer
from notifications.emails import when_label
from notifications.models import EmailKind, EmailPreference, Frequency, ReminderSent
from tests.factories import make_meeting, make_user

EVENING = "2027-03-04 18:00Z"  # a Thursday


def remind(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(EVENING, tick=False)
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
    EmailPreference.set(organizer, EmailKind.MEETING_REMINDER, Frequency.NEVER)
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
    # e.g. another worker's run
    ReminderSent.objects.create(meeting=meeting, user=member, starts_at=meeting.starts_at)
    remind()
    assert [m.to for m in mailoutbox] == [[organizer.email]]


def test_people_who_cannot_go_are_not_reminded(circle, organizer, member, mailoutbox):
    meeting = make_meeting(circle, starts_at=timezone.now() + timedelta(hours=5))
    meeting.answer_rsvp(member, RSVPAnswer.NO)
    meeting.answer_rsvp(organizer, RSVPAnswer.MAYBE)
    remind()
    assert [m.to for m in mailoutbox] == [[organizer.email]]
    # Changing their mind before the session: they are reminded after all.
    meeting.answer_rsvp(member, RSVPAnswer.GOING)
    remind()
    assert [m.to for m in mailoutbox] == [[organizer.email], [member.email]]


def test_a_session_moved_after_its_reminder_is_reminded_again_once(
    circle, organizer, member, mailoutbox
):
    EmailPreference.set(organizer, EmailKind.MEETING_REMINDER, Frequency.NEVER)
    meeting = make_meeting(circle, starts_at=timezone.now() + timedelta(hours=10))
    remind()
    assert len(mailoutbox) == 1
    meeting.starts_at += timedelta(hours=6)
    meeting.save(update_fields=["starts_at"])
    remind()
    remind()
    assert [m.to for m in mailoutbox] == [[member.email], [member.email]]
    assert ReminderSent.objects.filter(meeting=meeting, user=member).count() == 2
    # Moved back to the first time: that time was reminded already.
    meeting.starts_at -= timedelta(hours=6)
    meeting.save(update_fields=["starts_at"])
    remind()
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    ("now", "hours", "zone", "when"),
    [
        # Thursday 18:00 UTC, a start at 22:00 UTC: Thursday evening in London.
        (EVENING, 4, "Europe/London", "Today"),
        # A start at 02:00 UTC on Friday is still Thursday evening (21:00) in New York.
        (EVENING, 8, "America/New_York", "Today"),
        # Thursday 19:00 in Tokyo (10:00 UTC), a start at 20:00 UTC, which is 05:00 Friday there.
        ("2027-03-04 10:00Z", 10, "Asia/Tokyo", "Tomorrow"),
        # Friday 14:00 in London.
        (EVENING, 20, "Europe/London", "Tomorrow"),
    ],
)
def test_the_subject_says_when_in_the_readers_zone(
    circle, member, organizer, mailoutbox, now, hours, zone, when
):
    EmailPreference.set(organizer, EmailKind.MEETING_REMINDER, Frequency.NEVER)
    member.time_zone = zone
    member.save(update_fields=["time_zone"])
    with time_machine.travel(now, tick=False):
        meeting = make_meeting(circle, starts_at=timezone.now() + timedelta(hours=hours))
        remind()
    [message] = mailoutbox
    assert message.subject == f"[Marginalia] {when} in Tuesday Readers: {meeting.title}"


@time_machine.travel("2027-03-04 10:00Z", tick=False)
def test_without_a_zone_of_their_own_the_circles_zone_decides(
    circle, member, organizer, mailoutbox
):
    EmailPreference.set(organizer, EmailKind.MEETING_REMINDER, Frequency.NEVER)
    circle.time_zone = "Asia/Tokyo"
    circle.save(update_fields=["time_zone"])
    type(member).objects.filter(pk=member.pk).update(time_zone="")
    meeting = make_meeting(circle, starts_at=timezone.now() + timedelta(hours=10))
    remind()
    [message] = mailoutbox
    assert message.subject == f"[Marginalia] Tomorrow in Tuesday Readers: {meeting.title}"
    assert "(Asia/Tokyo)" in message.body


def test_the_weekday_is_named_beyond_tomorrow():
    starts = datetime(2027, 3, 7, 10, tzinfo=UTC)
    now = datetime(2027, 3, 4, 10, tzinfo=UTC)
    assert when_label(starts, "Europe/London", now) == "Sunday 7 March"
