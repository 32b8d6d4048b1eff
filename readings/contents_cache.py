"""The library's contents page of a reading, its list of chapters rendered once per version.

The list (`readings/_contents.html`) is the same for everyone who has no place in the
reading (anyone signed out, or not started yet): it is kept in the fragment cache under the
reading's text version (which grows with any change to its chapters, their titles or kinds)
and its slug (which its links name), so it is never stale, and a hit costs no query for the
chapters. A reader with a place gets the list rendered for them, with their place marked.
"""

from __future__ import annotations

import zlib

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from accounts.fragments import cached

from .models import Reading
from .reader import contents_context, reading_progress

CONTENTS_TEMPLATE = "readings/_contents.html"


def library_contents(reading: Reading, user) -> dict:
    """The context of `readings/reading.html`: `reading`, `progress`, `total_words`,
    `start_url` (the first chapter's) and either `contents_html` (the cached list) or
    `chapters` (to be rendered, marked with `progress`)."""
    progress = reading_progress(reading, user)
    if progress is not None:
        context = contents_context(reading, user, progress=progress)
        chapters = context["chapters"]
        return {**context, "start_url": chapters[0].url if chapters else ""}
    slug = zlib.crc32(reading.slug.encode())
    key = f"reading-contents:{reading.pk}:{reading.text_version}:{slug}"

    def make() -> dict:
        context = contents_context(reading, AnonymousUser())
        chapters = context["chapters"]
        return {
            "contents_html": render_to_string(CONTENTS_TEMPLATE, context),
            "total_words": context["total_words"],
            "start_url": chapters[0].url if chapters else "",
        }

    entry = cached(key, make)
    return {
        "reading": reading,
        "progress": None,
        "total_words": entry["total_words"],
        "start_url": entry["start_url"],
        "contents_html": mark_safe(entry["contents_html"]),
    }
