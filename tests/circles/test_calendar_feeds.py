"""Calendar feeds parsed back with icalendar: every field, updates, cancellations, secrecy."""

from __future__ import annotations

import zoneinfo

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from circles.models import Meeting
from tests.factories import make_circle, make_meeting, make_reading


@pytest.fixture
def circle(circle):
    """The shared circle, in Berlin."""
    circle.time_zone = "Europe/Berlin"
    circle.save(update_fields=["time_zone"])
    return circle


def events(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_a_session_download_has_every_field(client, circle, member):
    meeting = make_meeting(
        circle, first=2, last=3, place="Room 4", video_url="https://meet.example.org/x"
    )
    client.force_login(member)
    response = client.get(reverse("circles:meeting-ics", args=[circle.slug, meeting.pk]))
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    [event] = events(response)
    assert str(event["UID"]) == f"{meeting.uid}@marginalia"
    assert event["DTSTAMP"].dt is not None
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    assert start == meeting.starts_at.replace(microsecond=0)
    assert end == meeting.ends_at.replace(microsecond=0)
    assert start.tzinfo == zoneinfo.ZoneInfo("Europe/Berlin")
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(event["SUMMARY"]) == f"{meeting.title} · {circle.name}"
    description = str(event["DESCRIPTION"])
    assert "Walden, Chapter 2 – Chapter 3" in description
    assert settings.SITE_URL + meeting.get_absolute_url() in description
    assert str(event["URL"]) == settings.SITE_URL + meeting.get_absolute_url()
    assert str(event["LOCATION"]) == "Room 4"
    assert "https://meet.example.org/x" in description
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"


def test_video_links_reach_members_only(client, circle, member):
    meeting = make_meeting(circle, video_url="https://meet.example.org/secret")
    download = reverse("circles:meeting-ics", args=[circle.slug, meeting.pk])
    feed = reverse("circles:circle-calendar", args=[circle.slug])

    for response in (client.get(download), client.get(feed)):
        [event] = events(response)
        assert "meet.example.org" not in response.content.decode()
        assert "members find the link on the session page" in str(event["DESCRIPTION"])
        assert "LOCATION" not in event

    client.force_login(member)
    [event] = events(client.get(download))
    assert str(event["LOCATION"]) == "https://meet.example.org/secret"
    personal = reverse("circles:personal-calendar", args=[member.calendar_token])
    assert "meet.example.org/secret" in client.get(personal).content.decode()
    # The circle's public feed is the same for everyone, members included.
    assert "meet.example.org" not in client.get(feed).content.decode()


def test_sequence_grows_on_edit_and_cancel_and_cancelled_sessions_stay(client, circle, organizer):
    meeting = make_meeting(circle)
    feed = reverse("circles:circle-calendar", args=[circle.slug])
    client.force_login(organizer)
    edit = reverse("circles:meeting-edit", args=[circle.slug, meeting.pk])
    client.post(
        edit,
        {
            "title": "Moved", "reading": meeting.reading_id,
            "first_chapter": meeting.first_chapter_id,
            "last_chapter": meeting.first_chapter_id, "date": "2031-01-01", "time": "18:00",
            "duration_minutes": 60, "place": "", "video_url": "", "agenda": "",
        },
    )  # fmt: skip
    [event] = events(client.get(feed))
    assert event["SEQUENCE"] == 1
    assert str(event["SUMMARY"]).startswith("Moved")
    client.post(reverse("circles:meeting-cancel", args=[circle.slug, meeting.pk]))
    [event] = events(client.get(feed))
    assert event["SEQUENCE"] == 2
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"{meeting.uid}@marginalia"


def test_the_personal_feed_holds_only_my_circles_sessions(client, circle, member):
    mine = make_meeting(circle)
    private = make_circle(name="Secret", private=True)
    private.add_member(member)
    also_mine = make_meeting(private)
    not_mine = make_meeting(make_circle(name="Elsewhere"))
    url = reverse("circles:personal-calendar", args=[member.calendar_token])
    uids = {str(event["UID"]) for event in events(client.get(url))}
    assert uids == {f"{mine.uid}@marginalia", f"{also_mine.uid}@marginalia"}
    assert f"{not_mine.uid}@marginalia" not in uids


def test_every_event_of_the_personal_feed_has_every_field(client, circle, member, organizer):
    """Two circles in two zones, one session changed and one cancelled: each event as a
    calendar program needs it."""
    berlin = make_meeting(
        circle, first=2, last=3, place="Room 4", video_url="https://meet.example.org/x"
    )
    tokyo = make_circle(
        organizer, name="Night Owls", private=True, time_zone="Asia/Tokyo",
        readings=[make_reading("Kokoro", chapters=2)],
    )  # fmt: skip
    tokyo.add_member(member)
    moved = make_meeting(tokyo, first=1, video_url="https://meet.example.org/owls")
    moved.bump_sequence()
    moved.cancel()
    url = reverse("circles:personal-calendar", args=[member.calendar_token])
    response = client.get(url)
    calendar = Calendar.from_ical(response.content)
    by_uid = {str(event["UID"]): event for event in events(response)}
    assert set(by_uid) == {f"{berlin.uid}@marginalia", f"{moved.uid}@marginalia"}
    assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == [
        "Asia/Tokyo", "Europe/Berlin",
    ]  # fmt: skip

    for meeting, zone in ((berlin, "Europe/Berlin"), (moved, "Asia/Tokyo")):
        meeting.refresh_from_db()
        event = by_uid[f"{meeting.uid}@marginalia"]
        page = settings.SITE_URL + meeting.get_absolute_url()
        assert event["DTSTAMP"].dt == meeting.updated_at.replace(microsecond=0)
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert (start, end) == (
            meeting.starts_at.replace(microsecond=0),
            meeting.ends_at.replace(microsecond=0),
        )
        assert start.tzinfo == end.tzinfo == zoneinfo.ZoneInfo(zone)
        assert event["DTSTART"].params["TZID"] == event["DTEND"].params["TZID"] == zone
        assert str(event["SUMMARY"]) == f"{meeting.title} · {meeting.circle.name}"
        description = str(event["DESCRIPTION"])
        assert f"Read: {meeting.reading.title}, {meeting.chapter_label}." in description
        assert f"Details: {page}" in description
        assert str(event["URL"]) == page

    berlin_event = by_uid[f"{berlin.uid}@marginalia"]
    assert "Walden, Chapter 2 – Chapter 3" in str(berlin_event["DESCRIPTION"])
    assert str(berlin_event["LOCATION"]) == "Room 4"
    # A member's feed carries the video link (in the description, the place being taken).
    assert "Video link: https://meet.example.org/x" in str(berlin_event["DESCRIPTION"])
    assert berlin_event["SEQUENCE"] == 0
    assert str(berlin_event["STATUS"]) == "CONFIRMED"

    moved_event = by_uid[f"{moved.uid}@marginalia"]
    assert str(moved_event["LOCATION"]) == "https://meet.example.org/owls"  # no place: the call
    assert moved_event["SEQUENCE"] == 2  # changed once, then cancelled
    assert str(moved_event["STATUS"]) == "CANCELLED"
    assert str(moved_event["DESCRIPTION"]).startswith("This session is cancelled.")


def test_a_regenerated_token_retires_the_old_address(client, member):
    old = reverse("circles:personal-calendar", args=[member.calendar_token])
    client.force_login(member)
    settings_page = client.get(reverse("accounts:settings")).content.decode()
    assert old in settings_page
    response = client.post(reverse("accounts:calendar-regenerate"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert client.get(old).status_code == 404
    new = reverse("circles:personal-calendar", args=[member.calendar_token])
    assert client.get(new).status_code == 200


def test_regenerating_needs_a_post_and_a_login(client, member):
    url = reverse("accounts:calendar-regenerate")
    token = member.calendar_token
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    member.refresh_from_db()
    assert member.calendar_token == token  # the anonymous POST changed nothing
    feed = reverse("circles:personal-calendar", args=[token])
    assert client.get(feed).status_code == 200
    client.force_login(member)
    assert client.get(url).status_code == 405
    member.refresh_from_db()
    assert member.calendar_token == token


def test_feed_queries_do_not_grow_with_sessions(client, circle, member, django_assert_num_queries):
    for n in range(12):
        make_meeting(circle, first=1 + n % 4)
    with django_assert_num_queries(2):
        events(client.get(reverse("circles:circle-calendar", args=[circle.slug])))
    url = reverse("circles:personal-calendar", args=[member.calendar_token])
    total = Meeting.objects.count()
    with django_assert_num_queries(2):
        assert len(events(client.get(url))) == total
