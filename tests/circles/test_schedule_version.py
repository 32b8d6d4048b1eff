"""A circle's schedule version: every write to its sessions bumps it in the write's own
transaction, and the public calendar feed, cached per version, never shows an old schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from icalendar import Calendar

from circles.models import Circle, Meeting
from tests.factories import make_meeting


def version(circle) -> int:
    return Circle.objects.values_list("schedule_version", flat=True).get(pk=circle.pk)


class Rollback(Exception):
    pass


def bumps_in_same_transaction(circle, write) -> None:
    """`write` bumps the version inside its transaction, and undoing the transaction undoes
    the bump with it."""
    before = version(circle)
    with pytest.raises(Rollback), transaction.atomic():
        write()
        assert version(circle) > before
        raise Rollback
    assert version(circle) == before
    write()
    assert version(circle) > before


def test_creating_a_session_bumps_the_version(circle):
    bumps_in_same_transaction(circle, lambda: make_meeting(circle))


def test_moving_cancelling_and_deleting_a_session_bump_the_version(circle):
    meeting = make_meeting(circle)

    def move():
        meeting.starts_at += timedelta(days=1)
        meeting.save()

    bumps_in_same_transaction(circle, move)
    bumps_in_same_transaction(circle, meeting.cancel)
    bumps_in_same_transaction(circle, meeting.bump_sequence)
    doomed = make_meeting(circle)
    bumps_in_same_transaction(circle, lambda: Meeting.objects.get(pk=doomed.pk).delete())


def test_another_circles_version_stays(circle, organizer):
    from tests.factories import make_circle

    other = make_circle(organizer, name="Elsewhere")
    before = version(other)
    make_meeting(circle)
    assert version(other) == before


def feed_events(client, circle) -> dict[str, object]:
    response = client.get(reverse("circles:circle-calendar", args=[circle.slug]))
    assert response.status_code == 200
    return {
        str(event["UID"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")
    }


def test_the_feed_shows_every_change_on_the_next_request(client, circle, organizer):
    first = make_meeting(circle, title="First")
    assert set(feed_events(client, circle)) == {f"{first.uid}@marginalia"}

    # a session scheduled through the organizer's page
    client.force_login(organizer)
    created = client.post(
        reverse("circles:meeting-create", args=[circle.slug]),
        {
            "title": "Second", "reading": first.reading_id,
            "first_chapter": first.first_chapter_id, "last_chapter": first.first_chapter_id,
            "date": "2031-01-01", "time": "18:00", "duration_minutes": 60,
            "place": "", "video_url": "", "agenda": "",
        },
    )  # fmt: skip
    assert created.status_code == 302
    client.logout()
    events = feed_events(client, circle)
    assert sorted(str(e["SUMMARY"]).split(" · ")[0] for e in events.values()) == [
        "First",
        "Second",
    ]

    # moved, then cancelled through the organizer's page
    first.starts_at += timedelta(hours=2)
    first.save()
    moved = feed_events(client, circle)[f"{first.uid}@marginalia"]
    assert moved["DTSTART"].dt == first.starts_at.replace(microsecond=0)
    client.force_login(organizer)
    client.post(reverse("circles:meeting-cancel", args=[circle.slug, first.pk]))
    client.logout()
    assert str(feed_events(client, circle)[f"{first.uid}@marginalia"]["STATUS"]) == "CANCELLED"

    # deleted
    first.delete()
    assert f"{first.uid}@marginalia" not in feed_events(client, circle)

    # the circle renamed, the reading retitled
    circle.name = "Renamed Readers"
    circle.save()
    reading = circle.readings.first()
    reading.title = "A New Title"
    reading.save()
    [event] = feed_events(client, circle).values()
    assert str(event["SUMMARY"]).endswith("· Renamed Readers")
    assert "A New Title" in str(event["DESCRIPTION"])


def test_an_unchanged_feed_costs_one_query(client, circle, django_assert_num_queries):
    make_meeting(circle)
    url = reverse("circles:circle-calendar", args=[circle.slug])
    with django_assert_num_queries(2):
        first = client.get(url).content
    with django_assert_num_queries(1):
        assert client.get(url).content == first
