"""Times show in the viewer's zone, and weekly sessions keep their wall-clock time across a
daylight-saving change while their UTC time moves."""

from __future__ import annotations

from datetime import date, time

import pytest
import time_machine

from circles.planner import local_to_utc
from tests.factories import make_circle, make_meeting, make_reading, make_user


@pytest.fixture
def weekly(organizer):
    reading = make_reading(chapters=2)
    circle = make_circle(organizer, readings=[reading], time_zone="Europe/London")
    before = make_meeting(
        circle,
        reading,
        first=1,
        starts_at=local_to_utc(date(2026, 10, 20), time(19), circle.time_zone),
    )
    after = make_meeting(
        circle,
        reading,
        first=2,
        starts_at=local_to_utc(date(2026, 10, 27), time(19), circle.time_zone),
    )
    return circle, before, after


@time_machine.travel("2026-10-01 12:00Z", tick=False)
def test_a_london_reader_sees_19_00_on_both_sides_of_the_change(client, weekly):
    circle, before, after = weekly
    assert (before.starts_at.hour, after.starts_at.hour) == (18, 19)  # UTC moves
    reader = make_user(time_zone="Europe/London")
    circle.add_member(reader)
    client.force_login(reader)
    for meeting, day in ((before, "Tuesday 20 October 2026"), (after, "Tuesday 27 October 2026")):
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert f"{day}, 19:00–20:30" in page
        assert "in the circle’s time zone" not in page


@time_machine.travel("2026-10-01 12:00Z", tick=False)
def test_a_reader_elsewhere_sees_their_time_and_the_circles(client, weekly):
    circle, before, after = weekly
    reader = make_user(time_zone="America/New_York")  # New York changes a week later
    client.force_login(reader)
    first = client.get(before.get_absolute_url()).content.decode()
    second = client.get(after.get_absolute_url()).content.decode()
    assert "Tuesday 20 October 2026, 14:00–15:30" in first
    assert "Tuesday 27 October 2026, 15:00–16:30" in second
    assert "Tuesday 27 October, 19:00 in the circle’s time zone, Europe/London" in second
    assert "(America/New_York time)" in second


def test_anonymous_visitors_see_the_circles_zone(client, weekly):
    _, before, _ = weekly
    page = client.get(before.get_absolute_url()).content.decode()
    assert "Tuesday 20 October 2026, 19:00–20:30" in page
    assert "(Europe/London time)" in page
