"""Whole pages for anonymous readers, rendered once and kept in the per-process fragment
cache.

What an anonymous visitor sees of a public circle's chapter is the same for everyone, but
two strings in it must be new in every response: the CSP nonce and the CSRF token. The page
is rendered with a placeholder for each, cached as UTF-8 bytes, and every response gets the
request's own values put in their place (which also makes Django send the matching CSP
header and CSRF cookie, exactly as when the page is rendered).

The key is made of version numbers and names read from the database for every request
(`chapter_stamp`: one query), so an entry is never stale, only replaced: any comment write
grows the chapter's discussion version, any change to the text (or a chapter's title) the
reading's text version.
"""

from __future__ import annotations

import re
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token

from discussions.models import ChapterDiscussion, Circle
from readings.models import Chapter, Reading

# Random per process, so that no text in a page can ever match them.
NONCE_SLOT = f"nonce-slot-{secrets.token_hex(12)}"
CSRF_SLOT = f"csrf-slot-{secrets.token_hex(12)}"
SLOTS = {"csp_nonce": NONCE_SLOT, "csrf_token": CSRF_SLOT}

# Cached pages (and the chapter fragments of `views.reader`) live a day; a new version makes
# a new key anyway.
FRAGMENT_TIMEOUT = 60 * 60 * 24


def is_anonymous_page(request: HttpRequest) -> bool:
    """Whether this request sees the page everyone without an account sees: a plain GET with
    no session (so no user and no messages waiting for them) and no htmx."""
    return (
        request.method == "GET"
        and not getattr(request, "htmx", False)
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


@dataclass(frozen=True)
class ChapterStamp:
    """What an anonymous chapter page is made of, as one row: the circle (enough of it for
    the permission check), the versions, and the names shown around the text."""

    circle: Circle
    chapter_id: int
    text_version: int
    discussion_version: int
    names: str

    def key(self, show: str) -> str:
        versions = f"{self.text_version}:{self.discussion_version}"
        names = zlib.crc32(self.names.encode())
        return f"chapter-page:{self.circle.pk}:{self.chapter_id}:{versions}:{names}:{show}"


def _stamp_sql() -> str:
    q = connection.ops.quote_name
    circle, reading, chapter = (q(m._meta.db_table) for m in (Circle, Reading, Chapter))
    readings = q(Circle.readings.through._meta.db_table)
    discussion = q(ChapterDiscussion._meta.db_table)
    return (
        "SELECT c.id, c.visibility, c.name, ch.id, ch.title, r.text_version, r.title, "
        "r.author, r.language, d.version "
        f"FROM {circle} c "
        f"JOIN {readings} cr ON cr.circle_id = c.id "
        f"JOIN {reading} r ON r.id = cr.reading_id "
        f"JOIN {chapter} ch ON ch.reading_id = r.id "
        f"LEFT JOIN {discussion} d ON d.circle_id = c.id AND d.chapter_id = ch.id "
        "WHERE c.slug = %s AND r.slug = %s AND ch.number = %s"
    )


def chapter_stamp(slug: str, reading_slug: str, number: int) -> ChapterStamp | None:
    """The stamp of a circle's chapter in one plain query (a cached page's whole cost in the
    database), or None if there is no such chapter in that circle.

    Plain SQL, not the ORM, on purpose: on the benchmark's machine building this join with
    the ORM costs several times what running it does, and it runs for every anonymous view.
    """
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [slug, reading_slug, number])
        row = cursor.fetchone()
    if row is None:
        return None
    circle_id, visibility, circle_name, chapter_id, chapter_title, text_version, *rest = row
    *names, discussion_version = rest
    return ChapterStamp(
        circle=Circle(pk=circle_id, slug=slug, visibility=visibility, name=circle_name),
        chapter_id=chapter_id,
        text_version=text_version,
        discussion_version=discussion_version or 0,
        names="\n".join([circle_name, chapter_title, *names]),
    )


def serve(request: HttpRequest, key: str, render: Callable[[dict], HttpResponse]) -> HttpResponse:
    """The page cached under `key`, or `render(SLOTS)` — a response rendered with the
    placeholders in its context — stored under it. Only plain 200 answers are kept.

    The page is stored cut at its placeholders (text, slot, text, slot, …, text), so a
    response is one join of the pieces with this request's values: no search through the
    hundreds of kB of a long chapter."""
    pages = caches["fragments"]
    entry = pages.get(key)
    if entry is None:
        response = render(SLOTS)
        if response.streaming:
            return response
        pieces = SLOT_PATTERN.split(response.content)
        if response.status_code != 200 or response.cookies:
            response.content = _join(request, pieces)
            return response
        entry = (pieces, response["Content-Type"])
        pages.set(key, entry, FRAGMENT_TIMEOUT)
    pieces, content_type = entry
    return HttpResponse(_join(request, pieces), content_type=content_type)


SLOT_PATTERN = re.compile(b"(" + NONCE_SLOT.encode() + b"|" + CSRF_SLOT.encode() + b")")


def _join(request: HttpRequest, pieces: list[bytes]) -> bytes:
    """The page with this request's nonce and CSRF token where the placeholders were (the
    odd pieces are the placeholders themselves); each value is made only if the page has
    its placeholder, as rendering would."""
    values: dict[bytes, bytes] = {}

    def value(slot: bytes) -> bytes:
        if slot not in values:
            made = str(get_nonce(request)) if slot == NONCE_SLOT.encode() else get_token(request)
            values[slot] = made.encode()
        return values[slot]

    return b"".join(piece if index % 2 == 0 else value(piece) for index, piece in enumerate(pieces))
