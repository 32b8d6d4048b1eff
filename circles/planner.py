"""Plan a schedule: split a reading's chapters into contiguous, balanced runs, one a session.

`balanced_ranges` is an exact linear partition: among all ways to cut the chapters into
`k` contiguous non-empty runs, it returns one with the smallest sum of squared run lengths
(in words), i.e. the runs as even as they can be. Dynamic programming, O(k·n²).
"""

from __future__ import annotations

import calendar
import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING

from readings.models import Chapter, reading_minutes

if TYPE_CHECKING:
    from circles.models import Circle

CADENCES = {"weekly": "Every week", "fortnightly": "Every two weeks", "monthly": "Every month"}


class PlanError(ValueError):
    pass


def balanced_ranges(words: list[int], k: int) -> list[tuple[int, int]]:
    """Cut `words` (one count per chapter) into `k` contiguous runs; return (first, last)
    indexes, 0-based and inclusive, of each run."""
    n = len(words)
    if k < 1:
        raise PlanError("Plan at least one session.")
    if n < k:
        raise PlanError(
            f"This reading has {n} chapter{'s' if n != 1 else ''}, fewer than the {k} "
            "sessions asked for: choose fewer sessions."
        )
    prefix = [0, *accumulate(words)]
    inf = float("inf")
    # cost[j][i]: best cost of cutting the first i chapters into j runs; cut[j][i] where the
    # last run starts.
    cost = [[inf] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    cost[0][0] = 0
    for j in range(1, k + 1):
        for i in range(j, n - (k - j) + 1):
            best, best_start = inf, j - 1
            for start in range(j - 1, i):
                previous = cost[j - 1][start]
                if previous == inf:
                    continue
                run = prefix[i] - prefix[start]
                candidate = previous + run * run
                if candidate < best:
                    best, best_start = candidate, start
            cost[j][i], cut[j][i] = best, best_start
    ranges = []
    i = n
    for j in range(k, 0, -1):
        start = cut[j][i]
        ranges.append((start, i - 1))
        i = start
    return list(reversed(ranges))


def meeting_dates(first: date, count: int, cadence: str) -> list[date]:
    if cadence not in CADENCES:
        raise PlanError(f"Unknown cadence “{cadence}”: choose weekly, fortnightly or monthly.")
    if cadence == "monthly":
        return [_add_months(first, n) for n in range(count)]
    step = timedelta(days=7 if cadence == "weekly" else 14)
    return [first + step * n for n in range(count)]


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


MEETING_NUMBER = re.compile(r"Session (\d+)\b")


def next_meeting_number(circle: Circle) -> int:
    """The number the circle's next session takes: after all its sessions (cancelled ones
    too) and after the highest "Session N" title, so a new one never repeats a title."""
    titles = list(circle.meetings.values_list("title", flat=True))
    numbers = [int(match[1]) for title in titles if (match := MEETING_NUMBER.match(title))]
    return max([len(titles), *numbers]) + 1


def local_to_utc(day: date, at: time, time_zone: str) -> datetime:
    """A wall-clock time in the circle's zone (kept across daylight-saving changes) → UTC."""
    local = datetime.combine(day, at, tzinfo=zoneinfo.ZoneInfo(time_zone))
    return local.astimezone(zoneinfo.ZoneInfo("UTC"))


def viewer_zone(user, circle: Circle) -> str:
    """The zone `user` reads `circle`'s session times in: their own when signed in (and set),
    else the circle's. Views name it; templates ask `{{ circle|viewer_zone:user }}`."""
    if user.is_authenticated and user.time_zone:
        return user.time_zone
    return circle.time_zone


@dataclass
class ProposedMeeting:
    number: int
    starts_at: datetime
    first_chapter: Chapter
    last_chapter: Chapter
    words: int

    @property
    def minutes(self) -> int:
        return reading_minutes(self.words)

    @property
    def title(self) -> str:
        return f"Session {self.number}: {Chapter.span_title(self.first_chapter, self.last_chapter)}"


def propose(
    chapters: list[Chapter],
    *,
    first: date,
    at: time,
    cadence: str,
    count: int,
    time_zone: str,
    first_number: int = 1,
) -> list[ProposedMeeting]:
    """`count` sessions over `chapters`, numbered from `first_number` (see
    `next_meeting_number`, to continue a circle's numbering)."""
    ranges = balanced_ranges([chapter.word_count for chapter in chapters], count)
    dates = meeting_dates(first, count, cadence)
    return [
        ProposedMeeting(
            number=n,
            starts_at=local_to_utc(day, at, time_zone),
            first_chapter=chapters[start],
            last_chapter=chapters[end],
            words=sum(chapter.word_count for chapter in chapters[start : end + 1]),
        )
        for n, ((start, end), day) in enumerate(zip(ranges, dates, strict=True), start=first_number)
    ]
