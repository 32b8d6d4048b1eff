"""VTIMEZONE components that every calendar parser reads the same way, from zoneinfo.

A feed that names a time zone (`DTSTART;TZID=Europe/London:...`) must describe it, and
parsers differ in what they understand. This module writes only what python-icalendar,
vobject (dateutil), libical and ical.js (Thunderbird) all read alike:

- The description covers the years the feed's events span (`first_year`..`last_year`), no
  more: it starts with the offset in force on 1 January of the first year (a STANDARD or
  DAYLIGHT block whose `TZOFFSETFROM` equals its `TZOFFSETTO`), then lists every change of
  UTC offset in those years, found by asking zoneinfo.
- Changes are grouped by what they do (offset before, offset after, name, daylight or not).
  A group whose changes all fall on the same weekday of the same month — the n-th (1-4) or the
  last one — at the same local time, once in every year from its first change to the last
  year, is one block with a yearly `RRULE` (`FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU`), the form
  every parser knows.
- Any other group is one block whose `DTSTART` is its first change, with one `RDATE` line
  per further change. Never several dates on one `RDATE` line: ical.js and vobject read only
  the first of them (python-icalendar's `Timezone.from_tzinfo`, behind
  `add_missing_timezones`, writes them that way).
- `DTSTART` and `RDATE` are the local time just before the change, on the clock of the
  offset before it (RFC 5545, 3.6.5): 01:00 for London's spring change, 02:00 for its autumn
  one.
- A block is DAYLIGHT when zoneinfo says daylight saving time is in force (a positive
  `dst()`), STANDARD otherwise.

Known limit: vobject compares every VTIMEZONE with UTC over 2000-2020 and, when they agree
there, ignores it and looks the TZID up in pytz. A zone at +00:00 on 1 January of the feed's
first year (London, Lisbon, Casablanca) describes no change before that year, so for a feed
after 2020 vobject uses pytz's copy of the zone: right for London, wrong for Casablanca,
whose pytz data lacks the changes tzdata predicts.
"""

from __future__ import annotations

import calendar
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Offsets are looked up once a day and the change is then narrowed down to the second: no
# zone changes its offset twice within one day.
STEP = timedelta(days=1)


@dataclass(frozen=True)
class Change:
    """A change of UTC offset: the instant (UTC) and the offsets and name around it."""

    at: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str
    is_daylight: bool

    @property
    def local_start(self) -> datetime:
        """The local time just before the change, on the clock of the offset before it."""
        return (self.at + self.offset_from).replace(tzinfo=None)

    @property
    def kind(self) -> tuple[timedelta, timedelta, str, bool]:
        return (self.offset_from, self.offset_to, self.name, self.is_daylight)


def changes(zone: zoneinfo.ZoneInfo, first_year: int, last_year: int) -> list[Change]:
    """Every change of `zone`'s UTC offset from 1 January of `first_year` to the end of
    `last_year`, in order."""
    start = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    found = []
    moment = start
    while moment < end:
        following = min(moment + STEP, end)
        if following.astimezone(zone).utcoffset() != moment.astimezone(zone).utcoffset():
            found.append(_change_between(zone, moment, following))
        moment = following
    return found


def _change_between(zone: zoneinfo.ZoneInfo, before: datetime, after: datetime) -> Change:
    """The one change of offset between `before` and `after` (to the second)."""
    offset_before = before.astimezone(zone).utcoffset()
    while after - before > timedelta(seconds=1):
        middle = before + (after - before) / 2
        middle = middle.replace(microsecond=0)
        if middle.astimezone(zone).utcoffset() == offset_before:
            before = middle
        else:
            after = middle
    local = after.astimezone(zone)
    assert offset_before is not None
    return Change(after, offset_before, local.utcoffset(), _name(local), _is_daylight(local))


def _name(local: datetime) -> str:
    return local.tzname() or _format_offset(local.utcoffset() or timedelta())


def _is_daylight(local: datetime) -> bool:
    dst = local.dst()
    return dst is not None and dst > timedelta()


def _format_offset(offset: timedelta) -> str:
    sign = "-" if offset < timedelta() else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def yearly_rule(starts: list[datetime], last_year: int) -> str | None:
    """The RRULE that gives exactly `starts` (local times, in order) from the first of them
    to the end of `last_year`, if one yearly weekday rule does: the last or the n-th given
    weekday of one month, at one time of day (the last when both fit). None otherwise."""
    first = starts[0]
    if [s.year for s in starts] != list(range(first.year, last_year + 1)):
        return None  # a year without this change (or with two) is not a yearly rule
    if any((s.month, s.weekday(), s.time()) != (first.month, first.weekday(), first.time())
           for s in starts):  # fmt: skip
        return None
    day = WEEKDAYS[first.weekday()]
    for position in (-1, _nth(first)):  # "last" first: 25..31 October is a 4th or a 5th
        if all(_position_fits(s, position) for s in starts):
            return f"FREQ=YEARLY;BYMONTH={first.month};BYDAY={position}{day}"
    return None


def _nth(moment: datetime) -> int:
    """Which of the month's weekdays of its kind `moment` falls on (1 for the first)."""
    return (moment.day - 1) // 7 + 1


def _position_fits(moment: datetime, position: int) -> bool:
    if position == -1:
        return moment.day + 7 > calendar.monthrange(moment.year, moment.month)[1]
    return _nth(moment) == position


def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of `tzid` for events from `first_year` to `last_year` (see the module
    docstring)."""
    zone = zoneinfo.ZoneInfo(tzid)
    component = Timezone()
    component.add("tzid", tzid)
    opening = datetime.combine(date(first_year, 1, 1), time(), tzinfo=zone)
    offset = opening.utcoffset() or timedelta()
    component.add_component(
        _block(_is_daylight(opening), _name(opening), offset, offset, opening.replace(tzinfo=None))
    )
    groups: dict[tuple[timedelta, timedelta, str, bool], list[Change]] = {}
    for change in changes(zone, first_year, last_year):
        groups.setdefault(change.kind, []).append(change)
    for (offset_from, offset_to, name, is_daylight), members in groups.items():
        starts = [change.local_start for change in members]
        block = _block(is_daylight, name, offset_from, offset_to, starts[0])
        rule = yearly_rule(starts, last_year) if len(starts) > 1 else None
        if rule is not None:
            block.add("rrule", vRecur.from_ical(rule))
        else:
            for start in starts[1:]:
                block.add("rdate", start)  # one line per date
        component.add_component(block)
    return component


def _block(
    is_daylight: bool, name: str, offset_from: timedelta, offset_to: timedelta, start: datetime
) -> TimezoneStandard | TimezoneDaylight:
    block = TimezoneDaylight() if is_daylight else TimezoneStandard()
    block.add("dtstart", start)
    block.add("tzoffsetfrom", offset_from)
    block.add("tzoffsetto", offset_to)
    block.add("tzname", name)
    return block
