"""The planner and the session form start from what the circle does: its usual time (else
19:00) and a reading not yet scheduled; every planned session carries the place and link."""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.urls import reverse

from circles.meeting_forms import MeetingForm, PlanForm
from tests.circles.meeting_forms import two_meeting_plan
from tests.factories import make_meeting, make_reading


def test_a_new_circle_meets_at_seven_in_the_evening(circle):
    assert PlanForm(circle=circle)["time"].initial == time(19, 0)
    assert MeetingForm(circle=circle)["time"].initial == time(19, 0)


def test_the_usual_time_is_the_most_frequent_start_on_the_circles_clock(circle):
    circle.time_zone = "Europe/Paris"
    circle.save(update_fields=["time_zone"])
    for day in (5, 12, 19):  # 18:30 UTC in winter: 19:30 in Paris
        make_meeting(circle, starts_at=datetime(2031, 1, day, 18, 30, tzinfo=UTC))
    make_meeting(circle, starts_at=datetime(2031, 1, 26, 17, 0, tzinfo=UTC))
    assert circle.usual_time() == time(19, 30)
    assert PlanForm(circle=circle)["time"].initial == time(19, 30)


def test_the_planner_offers_a_reading_not_yet_scheduled(circle):
    walden = circle.readings.get()
    make_meeting(circle, walden)
    essays = make_reading("Essays", chapters=2)
    circle.readings.add(essays)
    assert PlanForm(circle=circle)["reading"].initial == essays


def test_every_planned_session_gets_the_place_and_the_link(client, circle, organizer):
    client.force_login(organizer)
    plan = two_meeting_plan(circle) | {
        "place": "The back room",
        "video_url": "https://meet.example.org/walden",
    }
    client.post(reverse("circles:meeting-plan", args=[circle.slug]), plan)
    meetings = list(circle.meetings.order_by("starts_at"))
    assert len(meetings) == 2
    assert {(m.place, m.video_url) for m in meetings} == {
        ("The back room", "https://meet.example.org/walden")
    }
