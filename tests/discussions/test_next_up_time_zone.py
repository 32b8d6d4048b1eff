"""The reader's "Next up" line and the circle home name the zone of the time they show: the
viewer's own, and the circle's beside it when the two differ (as the session page does)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from tests.factories import make_meeting, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def friday_before():
    with time_machine.travel("2026-11-20 12:00Z", tick=False):
        yield


@pytest.fixture
def margin(margin):
    """The shared margin, its circle in London with a session at 19:00 on 22 November."""
    margin.circle.time_zone = "Europe/London"
    margin.circle.save(update_fields=["time_zone"])
    make_meeting(
        margin.circle,
        margin.reading,
        title="Talk about chapter one",
        starts_at=datetime(2026, 11, 22, 19, 0, tzinfo=UTC),
    )
    return margin


def reader_in(margin, zone: str):
    reader = make_user(time_zone=zone)
    margin.circle.add_member(reader)
    return reader


def next_up_line(html: str) -> str:
    start = html.index('class="next-up"')
    return html[start : html.index("</p>", start)]


def test_a_reader_elsewhere_sees_their_time_and_the_circles(client, margin):
    client.force_login(reader_in(margin, "America/New_York"))
    line = next_up_line(client.get(margin.chapter_url()).content.decode())
    assert "Sun 22 Nov, 14:00</time>" in line
    assert (
        "(America/New_York time; Sun 22 Nov, 19:00 in the circle’s time zone, Europe/London)"
        in line
    )


def test_a_reader_in_the_circles_zone_sees_one_named_time(client, margin):
    client.force_login(reader_in(margin, "Europe/London"))
    line = next_up_line(client.get(margin.chapter_url()).content.decode())
    assert "Sun 22 Nov, 19:00</time>" in line
    assert "(Europe/London time)" in line
    assert "circle’s time zone" not in line


def test_the_circle_home_names_both_zones_for_its_next_session(client, margin):
    client.force_login(reader_in(margin, "Asia/Kolkata"))
    html = client.get(margin.circle.get_absolute_url()).content.decode()
    assert "Monday 23 November 2026, 00:30</time>" in html
    assert "(Asia/Kolkata time; Sun 22 Nov, 19:00 in the circle’s time zone, Europe/London)" in html
    assert "Times are in Asia/Kolkata time." in html


def test_visitors_see_the_circles_zone(client, margin):
    html = client.get(margin.circle.get_absolute_url()).content.decode()
    assert "Sunday 22 November 2026, 19:00</time>" in html
    assert "(Europe/London time)" in html


def test_my_circles_names_the_zone_of_each_next_session(client, margin):
    client.force_login(reader_in(margin, "America/New_York"))
    html = client.get(reverse("circles:my-circles")).content.decode()
    assert "Sun 22 Nov, 14:00</time>" in html
    assert "(America/New_York time; Sun 22 Nov, 19:00 in the circle’s time zone" in html
