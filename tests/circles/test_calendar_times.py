"""Every feed's times, read by python-icalendar and vobject (and libical, where Debian's
libical-glib bindings are installed: .ci/run installs them), are the database's: across spring
and autumn clock changes in three zones (both hemispheres), in the hour that happens twice and
across the hour that is skipped; no event reads as zero-length."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import zoneinfo
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from circles.models import Meeting
from tests.circles.calendar_readers import (
    CLOCK_CHANGES,
    READERS,
    expected_times,
    make_clock_change_sessions,
)
from tests.factories import make_circle, make_meeting, make_reading

ZONES = list(CLOCK_CHANGES)


@pytest.fixture
def circles(organizer, member):
    reading = make_reading("Walden", chapters=2)
    found = {}
    for n, zone in enumerate(ZONES):
        circle = make_circle(organizer, name=f"Circle {n}", time_zone=zone, readings=[reading])
        circle.add_member(member)
        found[zone] = (circle, make_clock_change_sessions(circle))
    return found


def assert_read_right(body: bytes, meetings: list[Meeting]) -> None:
    expected = expected_times(meetings)
    for name, read in READERS.items():
        times = read(body)
        assert set(times) == set(expected), name
        for uid, (start, end) in times.items():
            assert end > start, f"{name} reads {uid} as {start}..{end}"
            assert (start, end) == expected[uid], f"{name} reads {uid} wrongly"


@pytest.mark.parametrize("zone", ZONES)
def test_the_circle_feed_reads_the_same_in_every_parser(client, circles, zone):
    circle, meetings = circles[zone]
    response = client.get(reverse("circles:circle-calendar", args=[circle.slug]))
    assert_read_right(response.content, meetings)


def test_each_session_download_reads_the_same_in_every_parser(client, circles, member):
    client.force_login(member)
    for circle, meetings in circles.values():
        for meeting in meetings:
            url = reverse("circles:meeting-ics", args=[circle.slug, meeting.pk])
            assert_read_right(client.get(url).content, [meeting])


def test_the_personal_feed_reads_the_same_in_every_parser(client, circles, member):
    url = reverse("circles:personal-calendar", args=[member.calendar_token])
    body = client.get(url).content
    assert_read_right(body, [m for _, meetings in circles.values() for m in meetings])


def test_feeds_are_written_the_way_every_parser_reads_them(client, circles, member):
    """What the parsers disagree on is absent: comma-separated RDATEs, a METHOD without an
    ORGANIZER, and local times that name two instants."""
    body = client.get(reverse("circles:personal-calendar", args=[member.calendar_token]))
    text = body.content.decode().replace("\r\n ", "")  # unfold
    lines = text.splitlines()
    assert [line for line in lines if line.startswith("RDATE") and "," in line] == []
    assert not any(line.startswith("METHOD") for line in lines)
    assert sorted(line for line in lines if line.startswith("TZID:")) == [
        f"TZID:{zone}" for zone in sorted(ZONES)
    ]
    # London: the hour that happens twice is written in UTC, other times in London time.
    assert "DTSTART:20301027T003000Z" in lines  # 01:30 BST
    assert "DTSTART:20301027T013000Z" in lines  # 01:30 GMT
    assert "DTSTART;TZID=Europe/London:20300101T190000" not in lines  # no such session
    assert "DTSTART;TZID=Europe/London:20301028T190000" in lines
    # The yearly rules that the changes of 2030 and 2031 follow.
    assert re.search(r"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\b", text)
    assert re.search(r"RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=4\b", text)  # Sydney's autumn


def test_a_zone_without_a_yearly_rule_reads_the_same_in_every_parser(client, organizer):
    """São Paulo's clocks changed on dates no yearly rule gives, until daylight saving time
    was abolished in 2019: those changes are listed one RDATE a line, and every parser reads
    the sessions on either side of each."""
    zone = zoneinfo.ZoneInfo("America/Sao_Paulo")
    circle = make_circle(organizer, time_zone=zone.key, readings=[make_reading(chapters=1)])
    noons = [datetime(2017, 1, 1, 12, tzinfo=zone) + timedelta(days=n) for n in range(4 * 365)]
    change_days = [
        day.date()
        for before, day in itertools.pairwise(noons)
        if day.utcoffset() != before.utcoffset()
    ]
    assert len(change_days) == 5  # the last in February 2019
    meetings = [
        make_meeting(circle, starts_at=datetime.combine(day, time(19), tzinfo=zone) + shift)
        for day in change_days
        for shift in (timedelta(days=-1), timedelta())
    ]
    meetings.append(make_meeting(circle, starts_at=datetime(2020, 12, 1, 19, tzinfo=zone)))
    body = client.get(reverse("circles:circle-calendar", args=[circle.slug])).content
    assert_read_right(body, meetings)
    rdates = [line for line in body.decode().splitlines() if line.startswith("RDATE")]
    assert len(rdates) == 3  # five changes in two blocks
    assert "RRULE" not in body.decode()


# libical, run by Debian's Python with its GObject bindings (the project's has none).
SYSTEM_PYTHON = "/usr/bin/python3"
READER = Path(__file__).with_name("libical_read.py")


def libical_missing() -> str:
    probe = "import gi; gi.require_version('ICalGLib', '3.0'); from gi.repository import ICalGLib"
    try:
        subprocess.run([SYSTEM_PYTHON, "-c", probe], check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "libical-glib is not installed (apt-get install python3-gi gir1.2-ical-3.0)"
    return ""


def test_libical_reads_the_personal_feed_as_the_database_has_it(client, circles, member):
    missing = libical_missing()
    if missing:
        pytest.skip(missing)
    body = client.get(reverse("circles:personal-calendar", args=[member.calendar_token]))
    result = subprocess.run(
        [SYSTEM_PYTHON, str(READER)],
        input=body.content,
        capture_output=True,
        check=True,
        timeout=60,
    )
    read = json.loads(result.stdout)
    assert read["itip_ok"]
    expected = expected_times([m for _, meetings in circles.values() for m in meetings])
    times = {
        uid: (datetime.fromisoformat(start), datetime.fromisoformat(end))
        for uid, (start, end) in read["times"].items()
    }
    assert set(times) == set(expected)
    for uid, (start, end) in times.items():
        assert end > start, f"libical reads {uid} as {start}..{end}"
        assert (start, end) == expected[uid], f"libical reads {uid} wrongly"
