"""Where a circle is in a reading: the places its members share with it.

A member shares their place in the circle's readings or not (`Membership.shares_place`: by
default yes in a private circle, no in a public one; each member chooses on the circle's
page). What is shared is what `readings` keeps of them: the chapter they are in (their
`ReadingProgress`, "continue reading") and the chapters they have read in
(`ChapterReached`). Only the circle's members see it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from readings.models import Chapter, ChapterReached, Reading, ReadingProgress

from .models import Circle, Meeting, Membership


@dataclass
class CirclePlace:
    """Where the members who share their place are in `reading`, and what comes next."""

    reading: Reading
    sharing: int = 0  # members who share a place in this reading
    most_in: int | None = None  # the chapter most of them are in (the earliest, on a tie)
    most_count: int = 0
    next_session: Meeting | None = None

    @property
    def next_chapters(self) -> str:
        """The chapters the next session covers, as "8–9" (or "8")."""
        if self.next_session is None:
            return ""
        first = self.next_session.first_chapter.number
        last = self.next_session.last_chapter.number
        return str(first) if first == last else f"{first}–{last}"


def current_reading(circle: Circle, next_session: Meeting | None) -> Reading | None:
    """The reading the circle is in: its next session's, else its latest session's, else its
    first by title (None if it reads nothing)."""
    if next_session is not None:
        return next_session.reading
    latest = circle.meetings.select_related("reading").order_by("-starts_at").first()
    return latest.reading if latest else circle.readings.order_by("title").first()


def circle_place(circle: Circle, reading: Reading, next_session: Meeting | None) -> CirclePlace:
    """Where the members who share their place are in `reading` (one query), and what the
    next session covers if it is on `reading`."""
    chapters = Counter(
        ReadingProgress.objects.filter(
            reading=reading,
            user__in=Membership.objects.sharing_place().filter(circle=circle).values("user_id"),
        ).values_list("chapter__number", flat=True)
    )
    place = CirclePlace(reading=reading, sharing=sum(chapters.values()))
    if next_session is not None and next_session.reading_id == reading.pk:
        place.next_session = next_session
    if chapters:
        place.most_in, place.most_count = min(chapters.items(), key=lambda kv: (-kv[1], kv[0]))
    return place


def chapter_reach(circle: Circle, reading: Reading) -> dict[int, list[str]]:
    """{chapter id: the names, alphabetical, of the members sharing their place who have
    read in that chapter}: one query."""
    sharing = Membership.objects.sharing_place().filter(circle=circle).values("user_id")
    reached = (
        ChapterReached.objects.filter(reading=reading, user__in=sharing)
        .select_related("user")
        .only("chapter_id", "user__display_name", "user__email")
    )
    names: dict[int, list[str]] = {}
    for row in reached:
        names.setdefault(row.chapter_id, []).append(row.user.name)
    return {pk: sorted(people, key=str.casefold) for pk, people in names.items()}


def mark_reach(circle: Circle, reading: Reading, chapters: list[Chapter]) -> None:
    """Put on each of `chapters` `reached_by`: the names `chapter_reach` gives it."""
    reach = chapter_reach(circle, reading)
    for chapter in chapters:
        chapter.reached_by = reach.get(chapter.pk, [])
