"""What the library holds about a person (their reading progress, the chapters they reached),
for "Download my data" (registered with `accounts.data` in `ReadingsConfig.ready`)."""

from __future__ import annotations

from typing import Any

from accounts.data import iso
from accounts.models import User

from .models import ChapterReached, ReadingProgress


def export(user: User) -> dict[str, Any]:
    progress = list(
        ReadingProgress.objects.filter(user=user)
        .select_related("reading", "chapter")
        .order_by("reading__title")
    )
    reached = (
        ChapterReached.objects.filter(user=user)
        .select_related("reading", "chapter")
        .order_by("reading__title", "chapter__number")
    )
    return {
        "chapters_reached": [
            {
                "reading": entry.reading.title,
                "chapter": entry.chapter.number,
                "reached_at": iso(entry.reached_at),
            }
            for entry in reached
        ],
        "reading_progress": [
            {
                "reading": entry.reading.title,
                "chapter": entry.chapter.number,
                "updated_at": iso(entry.updated_at),
            }
            for entry in progress
        ],
        "readings": [
            {
                "title": entry.reading.title,
                "author": entry.reading.author,
                "slug": entry.reading.slug,
            }
            for entry in progress
        ],
    }
