"""Run by Debian's /usr/bin/python3 (not the project's): read an iCalendar file from stdin
with libical (through libical-glib's GObject bindings) and print {uid: [start, end]} as UTC
ISO times. libical resolves each TZID from the calendar's own VTIMEZONEs."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402


def utc(moment) -> str:
    zone = moment.get_timezone()
    seconds = moment.as_timet_with_zone(zone) if zone else moment.as_timet()
    return datetime.fromtimestamp(seconds, UTC).isoformat()


calendar = ICalGLib.Component.new_from_string(sys.stdin.read())
times = {}
event = calendar.get_first_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
while event:
    times[event.get_uid()] = [utc(event.get_dtstart()), utc(event.get_dtend())]
    event = calendar.get_next_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
# iTIP rules (RFC 5546), such as METHOD:PUBLISH needing an ORGANIZER: 1 when they hold.
print(json.dumps({"times": times, "itip_ok": bool(ICalGLib.restriction_check(calendar))}))
