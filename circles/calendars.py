"""iCalendar feeds of sessions, built with the icalendar library.

Every event keeps the session's UID for life and carries its SEQUENCE, so calendar programs
update (or cancel) the event they already have instead of adding a new one. A session's video
link is for members, as on the site: feeds anyone can fetch say there is a call and where to
find its link, and only members' downloads and personal feeds carry it.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event

from .models import Meeting

PRODID = "-//Marginalia//Reading circle sessions//EN"


def event_for(meeting: Meeting, *, with_video: bool = True) -> Event:
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
    event.add("description", description(meeting, url, with_video=with_video))
    location = meeting.place or (meeting.video_url if with_video else "")
    if location:
        event.add("location", location)
    event.add("url", url)
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def description(meeting: Meeting, url: str, *, with_video: bool = True) -> str:
    lines = []
    if meeting.is_cancelled:
        lines.append("This session is cancelled.")
    lines.append(f"Read: {meeting.reading.title}, {meeting.chapter_label}.")
    if meeting.video_url and not with_video:
        lines.append("Video call: members find the link on the session page.")
    elif meeting.place and meeting.video_url:
        lines.append(f"Video link: {meeting.video_url}")
    lines.append(f"Details: {url}")
    return "\n".join(lines)


def calendar_of(meetings: Iterable[Meeting], *, name: str, with_video: bool = True) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(event_for(meeting, with_video=with_video))
    calendar.add_missing_timezones()
    return calendar


def to_ical(meetings: Iterable[Meeting], *, name: str, with_video: bool = True) -> bytes:
    return calendar_of(meetings, name=name, with_video=with_video).to_ical()
