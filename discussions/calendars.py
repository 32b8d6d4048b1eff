"""iCalendar feeds of sessions, built with the icalendar library.

Every event keeps the session's UID for life and carries its SEQUENCE, so calendar programs
update (or cancel) the event they already have instead of adding a new one.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event

from .models import Meeting

PRODID = "-//Marginalia//Reading circle sessions//EN"


def event_for(meeting: Meeting) -> Event:
    """One session as a VEVENT (needs meeting.circle, reading and chapters loaded)."""
    zone = zoneinfo.ZoneInfo(meeting.circle.time_zone)
    url = settings.SITE_URL + meeting.get_absolute_url()
    event = Event()
    event.add("uid", f"{meeting.uid}@marginalia")
    event.add("dtstamp", meeting.updated_at)
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", f"{meeting.title} · {meeting.circle.name}")
    event.add("description", description(meeting, url))
    location = meeting.place or meeting.video_url
    if location:
        event.add("location", location)
    event.add("url", url)
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def description(meeting: Meeting, url: str) -> str:
    lines = []
    if meeting.is_cancelled:
        lines.append("This session is cancelled.")
    lines.append(f"Read: {meeting.reading.title}, {meeting.chapter_label}.")
    if meeting.place and meeting.video_url:
        lines.append(f"Video link: {meeting.video_url}")
    lines.append(f"Details: {url}")
    return "\n".join(lines)


def calendar_of(meetings: Iterable[Meeting], *, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(event_for(meeting))
    calendar.add_missing_timezones()
    return calendar


def to_ical(meetings: Iterable[Meeting], *, name: str) -> bytes:
    return calendar_of(meetings, name=name).to_ical()
