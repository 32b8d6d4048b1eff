"""What an organizer's browser posts to the session (`Meeting`) forms, shared by the
circles and notification tests."""

from __future__ import annotations

from circles.models import Circle


def meeting_form(circle: Circle, **overrides) -> dict:
    """The new/edit session form over chapters 1–2 of the circle's one reading."""
    reading = circle.readings.get()
    return {
        "title": "Opening night", "reading": reading.pk,
        "first_chapter": reading.chapters.get(number=1).pk,
        "last_chapter": reading.chapters.get(number=2).pk,
        "date": "2031-03-04", "time": "19:30", "duration_minutes": 90,
        "place": "The library", "video_url": "", "agenda": "",
    } | overrides  # fmt: skip


def two_meeting_plan(circle: Circle) -> dict:
    """The planner's Save with two weekly sessions, "One" (chapters 1–2) and "Two" (3–4)."""
    return {
        "action": "save", "reading": circle.readings.get().pk, "first_date": "2031-01-07",
        "time": "19:00", "cadence": "weekly", "count": 2, "duration_minutes": 90,
        "place": "", "video_url": "", "meetings-TOTAL_FORMS": 2, "meetings-INITIAL_FORMS": 2,
        "meetings-MIN_NUM_FORMS": 0, "meetings-MAX_NUM_FORMS": 52,
        "meetings-0-title": "One", "meetings-0-first_chapter": 1, "meetings-0-last_chapter": 2,
        "meetings-0-date": "2031-01-07", "meetings-0-time": "19:00",
        "meetings-1-title": "Two", "meetings-1-first_chapter": 3, "meetings-1-last_chapter": 4,
        "meetings-1-date": "2031-01-14", "meetings-1-time": "19:00",
    }  # fmt: skip
