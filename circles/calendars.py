"""iCalendar feeds of sessions, built with the icalendar library.

Every event keeps the session's UID for life and carries its SEQUENCE, so calendar programs
update (or cancel) the event they already have instead of adding a new one. A session's video
link is for members, as on the site: feeds anyone can fetch say there is a call and where to
find its link, and only members' downloads and personal feeds carry it.

Times are written so that every parser (python-icalendar, vobject, libical, ical.js) reads the
instants the database holds:

- an event is written in its circle's time zone (`DTSTART;TZID=Europe/London:...`), with a
  VTIMEZONE for each zone used, covering the years of the feed's events in that zone
  (`vtimezone.py`: yearly rules or one RDATE per line, never a comma-separated RDATE);
- an event whose start or end is a local time that happens twice (01:30 on the night the
  clocks go back) or not at all is written in UTC, start and end alike: a local time there
  names no single instant, and parsers pick different ones (or read a zero-length event);
- there is no `METHOD`: these are published calendars, not iTIP scheduling messages, and
  `METHOD:PUBLISH` would need an `ORGANIZER` on every event (RFC 5546) that a public feed
  has no business naming.
"""

from __future__ import annotations

import zlib
import zoneinfo
from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from icalendar import Calendar, Event

from accounts.fragments import cached

from .models import Meeting
from .vtimezone import vtimezone

PRODID = "-//Marginalia//Reading circle sessions//EN"


def event_for(meeting: Meeting, *, with_video: bool = True) -> Event:
    """One session as a VEVENT (needs meeting.circle, reading and chapters loaded)."""
    start, end = written_times(meeting)
    url = settings.SITE_URL + meeting.get_absolute_url()
    event = Event()
    event.add("uid", f"{meeting.uid}@marginalia")
    event.add("dtstamp", meeting.updated_at)
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"{meeting.title} · {meeting.circle.name}")
    event.add("description", description(meeting, url, with_video=with_video))
    location = meeting.place or (meeting.video_url if with_video else "")
    if location:
        event.add("location", location)
    event.add("url", url)
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def written_times(meeting: Meeting) -> tuple[datetime, datetime]:
    """The start and end as the feed writes them: in the circle's zone, or both in UTC when
    either is a local time that does not name one instant."""
    zone = zoneinfo.ZoneInfo(meeting.circle.time_zone)
    start, end = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    if is_ambiguous(start) or is_ambiguous(end):
        return meeting.starts_at.astimezone(UTC), meeting.ends_at.astimezone(UTC)
    return start, end


def is_ambiguous(local: datetime) -> bool:
    """Whether the wall time of `local` happens twice in its zone (or not at all)."""
    return local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()


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
    calendar.add("x-wr-calname", name)
    years: dict[str, tuple[int, int]] = {}  # zone → first and last year of its events
    for meeting in meetings:
        event = event_for(meeting, with_video=with_video)
        calendar.add_component(event)
        tzid = event["DTSTART"].params.get("TZID")  # None when written in UTC
        if tzid:
            start, end = event.DTSTART, event.DTEND
            first, last = years.get(tzid, (start.year, end.year))
            years[tzid] = (min(first, start.year), max(last, end.year))
    # Time zones come first: some parsers read a TZID only after its VTIMEZONE.
    for position, (tzid, (first, last)) in enumerate(sorted(years.items())):
        calendar.subcomponents.insert(position, vtimezone(tzid, first, last))
    return calendar


def public_feed(circle) -> bytes:
    """A public circle's feed (no video links), cached per version of its schedule: `circle`
    from `Circle.objects.with_schedule_stamp(slug)`."""
    changed = zlib.crc32(str(circle.texts_changed).encode())  # as the database gives it
    names = zlib.crc32(f"{circle.name}\n{circle.time_zone}".encode())
    key = f"circle-feed:{circle.pk}:{circle.schedule_version}:{changed}:{names}"

    def make() -> bytes:
        meetings = Meeting.objects.filter(circle=circle).for_display().order_by("starts_at")
        return to_ical(meetings, name=f"{circle.name} · Marginalia", with_video=False)

    return cached(key, make)


def to_ical(meetings: Iterable[Meeting], *, name: str, with_video: bool = True) -> bytes:
    return calendar_of(meetings, name=name, with_video=with_video).to_ical()
