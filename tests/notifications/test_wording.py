"""Every kind of notification and email, rendered as a person reads it: in the list, in its own
email and in the digest. No word doubled ("in in"), no "None", no raw ids or object names, a
capital I, and no circle name with a second possessive ("Readers’s")."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from circles.models import JoinRequest, RSVPAnswer
from discussions.moderation import flag_comment, hide_comment, resolve_flags, restore_comment
from discussions.services import reply
from notifications import delivery, fanout
from notifications.models import (
    EmailKind,
    EmailPreference,
    Frequency,
    Notification,
    NotificationKind,
)
from notifications.reminders import send_due_reminders
from tests.factories import make_meeting, make_user

pytestmark = pytest.mark.django_db

DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
RAW = re.compile(r"\bNone\b|object \(\d+\)|<[A-Z]\w+: |\{\{|\{%|\bi\b")
# Words that may stand twice in a row in good English.
ALLOWED_TWICE = {"that", "had"}


def problems(text: str) -> list[str]:
    found = [m.group(0) for m in DOUBLED.finditer(text) if m.group(1).lower() not in ALLOWED_TWICE]
    found += RAW.findall(text)
    found += re.findall(r"\w’s’s|s’s calendar", text)
    return found


def every_kind(margin, organizer, moderator, member) -> None:
    """One notification of each kind for Mina (the member), made as the app makes them."""
    circle = margin.circle
    root = margin.comment(member, "Is this the thesis?")
    reply(root, author=moderator, body="I read it as the premise.")  # reply
    other = margin.comment(organizer, "A second thread")
    reply(other, author=member, body="Mine in it")
    reply(other, author=moderator, body="And Max here")  # thread
    margin.comment(organizer, "Over to you, @Mina")  # mention
    meeting = make_meeting(circle, margin.reading, title="Session 2")
    for kind in (
        NotificationKind.MEETING_SCHEDULED,
        NotificationKind.MEETING_CHANGED,
        NotificationKind.MEETING_CANCELLED,
    ):
        fanout.meetings_announced([meeting], kind, by=organizer)
    mine = margin.comment(member, "Words to hide")
    hide_comment(mine, moderator, "Off topic")  # hidden
    restore_comment(mine, moderator)  # restored
    flagged = margin.comment(member, "Flag bait")
    for person in margin_readers(margin):
        flag_comment(flagged, person, "spam")  # hidden pending review after flags
    resolve_flags(flagged, moderator, "hidden")  # hidden with the default reason
    asker = make_user("asker@example.org", display_name="Ada")
    approved = JoinRequest.objects.create(circle=circle, user=member)
    approved.decide(organizer, approve=True)
    fanout.join_decided(approved)
    declined = JoinRequest.objects.create(circle=circle, user=asker)
    fanout.join_requested(declined)
    declined.decide(organizer, approve=False)
    fanout.join_decided(declined)
    report = {"threads": {"details": [{"circle_id": circle.pk, "fate": "orphaned"}]}}
    fanout.text_replaced(margin.reading, None, report)  # staff replaced the text


def margin_readers(margin) -> list:
    people = [make_user(f"flagger{n}@example.org", display_name=f"Flagger {n}") for n in range(3)]
    for person in people:
        margin.circle.add_member(person)
    return people


@pytest.fixture
def notified(margin, organizer, moderator, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        every_kind(margin, organizer, moderator, member)
    return margin


def test_every_kind_is_made(notified, member, organizer):
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == set(NotificationKind.values)


def test_the_list_reads_well_for_every_kind(client, notified, member, organizer):
    for person in (member, organizer):
        client.force_login(person)
        html = client.get(reverse("notifications:notification-list")).content.decode()
        text = re.sub(r"<[^>]+>", " ", html)
        assert problems(text) == [], person


def test_every_email_reads_well(notified, member, organizer):
    mail.outbox = []
    ids = list(Notification.objects.values_list("pk", flat=True))
    delivery.send_now(ids)
    assert len(mail.outbox) >= 10
    for message in mail.outbox:
        html = message.alternatives[0][0]
        for text in (message.subject, message.body, re.sub(r"<[^>]+>", " ", html)):
            assert problems(text) == [], (message.subject, text)


def test_the_digest_and_the_reminder_read_well(notified, member):
    for kind in EmailKind.values:
        if kind != EmailKind.MEETING_REMINDER:
            EmailPreference.set(member, kind, Frequency.DIGEST)
    Notification.objects.update(email="digest")
    mail.outbox = []
    delivery.send_digests()
    meeting = make_meeting(notified.circle, notified.reading, title="Session 3")
    meeting.answer_rsvp(member, RSVPAnswer.GOING)
    send_due_reminders(now=meeting.starts_at - timedelta(hours=20))
    assert {m.subject.split(":")[0] for m in mail.outbox} >= {"[Marginalia] Your daily digest"}
    for message in mail.outbox:
        html = message.alternatives[0][0]
        for text in (message.subject, message.body, re.sub(r"<[^>]+>", " ", html)):
            assert problems(text) == [], (message.subject, text)
