"""Sessions around clock changes, and calendar feeds read back the way calendar programs do.

`make_clock_change_sessions` makes, in a circle, sessions on both sides of its zone's spring
and autumn changes of 2030 (and of 2031, so that a yearly rule has to repeat), one in the hour
that happens twice (each time), one ending in it and one across the hour that is skipped.

Each reader returns {uid: (start, end)} in UTC as its parser understands the feed:
- `read_with_icalendar`: python-icalendar as its users get it (it looks TZIDs up in zoneinfo);
- `read_with_icalendar_vtimezones`: python-icalendar reading only the feed's own VTIMEZONEs
  (`Timezone.to_tz(lookup_tzid=False)`), as a program without a time zone database does;
- `read_with_vobject`: vobject, which reads VTIMEZONEs with dateutil's `tzical`.
ical.js, Thunderbird's parser, reads the feeds in the browser tests.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import vobject
import vobject.icalendar
from icalendar import Calendar

from circles.models import Circle, Meeting
from tests.factories import make_meeting

Times = dict[str, tuple[datetime, datetime]]


# Each zone's 2030 changes: the day clocks go forward (a local hour is skipped, from `gap`),
# the day they go back (a local hour happens twice, from `twice`).
CLOCK_CHANGES = {
    "Europe/London": {
        "spring": date(2030, 3, 31), "gap": time(1), "autumn": date(2030, 10, 27), "twice": time(1),
    },
    "America/New_York": {
        "spring": date(2030, 3, 10), "gap": time(2), "autumn": date(2030, 11, 3), "twice": time(1),
    },
    "Australia/Sydney": {
        "spring": date(2030, 10, 6), "gap": time(2), "autumn": date(2030, 4, 7), "twice": time(2),
    },
}  # fmt: skip


def _local(zone: zoneinfo.ZoneInfo, day: date, at: time, *, fold: int = 0) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).replace(fold=fold).astimezone(UTC)


def make_clock_change_sessions(circle: Circle) -> list[Meeting]:
    """Sessions of `circle` around its zone's clock changes (see the module docstring)."""
    zone = zoneinfo.ZoneInfo(circle.time_zone)
    days = CLOCK_CHANGES[circle.time_zone]
    evening = time(19)
    starts: list[tuple[datetime, int]] = []
    for change in (days["spring"], days["autumn"]):
        for shift in (-1, 1, 363, 366):  # around the change, and around next year's
            starts.append((_local(zone, change + timedelta(days=shift), evening), 90))
    twice = days["twice"].replace(minute=30)
    starts += [
        (_local(zone, days["autumn"], twice, fold=0), 60),  # ends at the same wall time
        (_local(zone, days["autumn"], twice, fold=1), 60),
        (_local(zone, days["autumn"], days["twice"]) - timedelta(minutes=30), 60),
        (_local(zone, days["spring"], days["gap"]) - timedelta(minutes=30), 90),
    ]
    return [
        make_meeting(circle, starts_at=start, duration_minutes=minutes, title=f"Session {n}")
        for n, (start, minutes) in enumerate(starts, 1)
    ]


def expected_times(meetings: list[Meeting]) -> Times:
    return {f"{m.uid}@marginalia": (m.starts_at, m.ends_at) for m in meetings}


def read_with_icalendar(body: bytes) -> Times:
    calendar = Calendar.from_ical(body)
    return {
        str(event["UID"]): (_utc(event["DTSTART"].dt), _utc(event["DTEND"].dt))
        for event in calendar.walk("VEVENT")
    }


def read_with_icalendar_vtimezones(body: bytes) -> Times:
    calendar = Calendar.from_ical(body)
    zones = {str(tz["TZID"]): tz.to_tz(lookup_tzid=False) for tz in calendar.walk("VTIMEZONE")}

    def instant(prop) -> datetime:
        tzid = prop.params.get("TZID")
        if tzid is None:
            return _utc(prop.dt)
        return prop.dt.replace(tzinfo=zones[tzid]).astimezone(UTC)  # KeyError: no VTIMEZONE

    return {
        str(event["UID"]): (instant(event["DTSTART"]), instant(event["DTEND"]))
        for event in calendar.walk("VEVENT")
    }


def read_with_vobject(body: bytes) -> Times:
    # vobject keeps the first VTIMEZONE it ever read for a TZID in a process-wide map; a
    # calendar program reads each file afresh, so forget those of earlier feeds.
    registry = vars(vobject.icalendar)["__tzidMap"]
    for tzid in [tzid for tzid in registry if tzid != "UTC"]:
        del registry[tzid]
    calendar = vobject.readOne(body.decode())
    return {
        event.uid.value: (_utc(event.dtstart.value), _utc(event.dtend.value))
        for event in calendar.vevent_list
    }


def _utc(moment: datetime) -> datetime:
    assert moment.tzinfo is not None, f"{moment} was read as a floating time"
    return moment.astimezone(UTC)


READERS = {
    "icalendar": read_with_icalendar,
    "icalendar, the feed's VTIMEZONEs only": read_with_icalendar_vtimezones,
    "vobject": read_with_vobject,
}
