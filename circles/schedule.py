"""A circle's next session on a reading, as the reader's "Next up" line shows it on every
chapter page a member opens: cached per process under the circle's `schedule_version` and
the reading's `text_version` (the session's chapter names), so it is never stale and a warm
page asks the database nothing for it."""

from __future__ import annotations

from django.utils import timezone

from accounts.fragments import cached
from readings.models import Reading

from .models import Circle, Meeting

# How many of the sessions to come are kept: the next is the first of them not yet over, so
# the kept list serves until that many sessions have ended without the schedule changing.
KEPT = 20


def next_session(circle: Circle, reading: Reading, now=None) -> Meeting | None:
    """The circle's next scheduled session on `reading` that has not ended."""
    now = now or timezone.now()
    key = f"next-sessions:{circle.pk}:{reading.pk}:{circle.schedule_version}:{reading.text_version}"
    kept = cached(key, lambda: _sessions_to_come(circle, reading, now))
    coming = [meeting for meeting in kept if meeting.ends_at > now]
    if not coming and len(kept) == KEPT:  # every kept session has ended: look again
        coming = _sessions_to_come(circle, reading, now)[:1]
    if not coming:
        return None
    meeting = coming[0]
    meeting.circle, meeting.reading = circle, reading
    return meeting


def _sessions_to_come(circle: Circle, reading: Reading, now) -> list[Meeting]:
    meetings = Meeting.objects.filter(circle=circle, reading=reading).scheduled().upcoming(now)
    return list(meetings.select_related("first_chapter", "last_chapter")[:KEPT])
