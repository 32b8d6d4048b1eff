"""The day-before reminder lists the top items of the session's agenda: the threads raised
most, as the member may read them (nothing hidden, nothing beyond their horizon)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from discussions.models import RaiseMark
from discussions.moderation import hide_comment
from tests.factories import make_meeting, make_user


def test_the_reminder_lists_the_top_agenda_items(margin, organizer, member, moderator, mailoutbox):
    meeting = make_meeting(
        margin.circle,
        margin.reading,
        first=1,
        last=1,
        starts_at=timezone.now() + timedelta(hours=20),
    )
    threads = [margin.comment(member, f"Thread {n}.", start=n * 2, end=n * 2 + 1) for n in range(4)]
    markers = [make_user(f"marker{n}@example.org") for n in range(4)]
    for n, thread in enumerate(threads):
        for person in markers[: n + 1]:
            margin.circle.add_member(person)
            RaiseMark.objects.create(thread=thread, user=person)
    hidden = threads[3]
    hide_comment(hidden, moderator, "Not for this circle.")
    call_command("send_reminders", stdout=StringIO())
    mail = next(m for m in mailoutbox if m.to == [member.email])
    assert "Raised for discussion from the margin:" in mail.body
    top = mail.body.split("Raised for discussion from the margin:")[1]
    # Most marks first, three at most, the hidden one left out.
    assert "1. “" + threads[2].anchor_exact in top
    assert "— 3 members" in top
    assert "2. “" + threads[1].anchor_exact in top
    assert "3. “" + threads[0].anchor_exact in top
    assert "4 members" not in top
    html = mail.alternatives[0][0]
    assert "Raised for discussion from the margin" in html
    assert meeting.title in mail.subject


def test_no_agenda_no_list(margin, member, mailoutbox):
    make_meeting(
        margin.circle,
        margin.reading,
        first=1,
        last=1,
        starts_at=timezone.now() + timedelta(hours=20),
    )
    call_command("send_reminders", stdout=StringIO())
    assert mailoutbox
    assert all("Raised for discussion" not in m.body for m in mailoutbox)
