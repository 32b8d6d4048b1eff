"""The demo schedule: planned over the first reading, some past with notes, RSVPs; idempotent."""

from __future__ import annotations

from circles.demo import ensure_demo_meetings
from circles.models import RSVP, Meeting, Role
from tests.factories import make_circle, make_reading, make_user


def test_demo_sessions_are_planned_once_with_past_notes_and_rsvps(db):
    emails = ["olive", "mina", "noor", "pablo", "max"]
    people = {f"{n}@demo.marginalia.test": make_user(f"{n}@demo.marginalia.test") for n in emails}
    reading = make_reading("Seed", chapters=6)
    circle = make_circle(people["olive@demo.marginalia.test"], time_zone="Europe/London")
    circle.add_member(people["max@demo.marginalia.test"], Role.MODERATOR)
    ensure_demo_meetings(circle, people, [reading])
    ensure_demo_meetings(circle, people, [reading])
    meetings = list(Meeting.objects.order_by("starts_at"))
    assert len(meetings) == 6
    assert [(m.first_chapter.number, m.last_chapter.number) for m in meetings] == [
        (n, n) for n in range(1, 7)
    ]
    past = [m for m in meetings if m.is_past]
    assert 2 <= len(past) < 6
    assert all(m.notes for m in past)
    assert not any(m.notes for m in meetings if not m.is_past)
    assert RSVP.objects.count() == 6 * 3
