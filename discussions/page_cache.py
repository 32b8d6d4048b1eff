"""Pages put together from pieces: a rendered template with slots, filled per response.

A chapter page has two kinds of content that templates should not render in place:
- the chapter's passages with their highlights (hundreds of kB, rendered once per version and
  cached as UTF-8 bytes by `chapter_body`): rendered in place they would be copied at every
  level of the templates and encoded again for every request;
- for the anonymous page, which is cached whole, the two strings that must be new in every
  response: the CSP nonce and the CSRF token.

So the page is rendered with a marker in each such place (`SLOTS`), cut at the markers
(`cut`), the cached bytes put in theirs at once, and the per-response values joined in by
`finish` (which also makes Django send the matching CSP header and CSRF cookie, exactly as
when the page is rendered). An anonymous visitor's page is kept cut (`serve`), so a response
is one join of the pieces with the request's own values.

The anonymous page's key is made of version numbers and names read from the database for
every request (`chapter_stamp`: one query), so an entry is never stale, only replaced: any
comment write grows the chapter's discussion version, any change to the text (or a chapter's
title) the reading's text version.
"""

from __future__ import annotations

import re
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

from circles.models import Circle
from readings.models import Chapter, Reading

from .models import ChapterDiscussion

# Cached pages and chapter bodies live a day; a new version makes a new key anyway.
FRAGMENT_TIMEOUT = 60 * 60 * 24

# Random per process, so that no text in a page can ever match them.
_TOKEN = secrets.token_hex(12)
NONCE = f"slot-nonce-{_TOKEN}"
CSRF = f"slot-csrf-{_TOKEN}"
PASSAGES = f"<!--slot-passages-{_TOKEN}-->"
PASSAGES_HTML = mark_safe(PASSAGES)
# Context values that put the per-response slots in a page to be cached.
SLOTS: dict[str, SafeString] = {"csp_nonce": mark_safe(NONCE), "csrf_token": mark_safe(CSRF)}
_PATTERN = re.compile(
    b"(" + b"|".join(re.escape(s.encode()) for s in (NONCE, CSRF, PASSAGES)) + b")"
)


def cut(content: bytes, fills: dict[str, bytes]) -> list[bytes]:
    """`content` cut at its per-response slots: [text, slot, text, slot, …, text], with the
    bytes of `fills` (by marker) already put in their own slots."""
    wanted = {marker.encode(): value for marker, value in fills.items()}
    pieces = [b""]
    parts = _PATTERN.split(content)
    for index, part in enumerate(parts):
        if index % 2 == 0:
            pieces[-1] += part
        elif part in wanted:
            pieces[-1] += wanted[part]
        else:
            pieces += [part, b""]
    return pieces


def finish(request: HttpRequest, pieces: list[bytes]) -> bytes:
    """The page with this request's nonce and CSRF token in their slots; each value is made
    only if the page has its slot, as rendering would."""
    values: dict[bytes, bytes] = {}

    def value(slot: bytes) -> bytes:
        if slot not in values:
            made = str(get_nonce(request)) if slot == NONCE.encode() else get_token(request)
            values[slot] = made.encode()
        return values[slot]

    return b"".join(piece if index % 2 == 0 else value(piece) for index, piece in enumerate(pieces))


def render_with(
    request: HttpRequest, template: str, context: dict, fills: dict[str, bytes]
) -> tuple[HttpResponse, list[bytes]]:
    """Render `template`; the response and its content cut (`cut`) with `fills` in place.
    The caller sets `response.content = finish(request, pieces)` (or caches the pieces)."""
    response = render(request, template, context)
    return response, cut(response.content, fills)


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


def serve(
    request: HttpRequest,
    key: str,
    build: Callable[[dict], tuple[HttpResponse, list[bytes]]],
) -> HttpResponse:
    """The page cached under `key`, or `build(SLOTS)` — a response and its pieces, rendered
    with the slots in its context — stored under it. Only plain 200 answers are kept."""
    pages = caches["fragments"]
    entry = pages.get(key)
    if entry is None:
        response, pieces = build(SLOTS)
        if response.status_code != 200 or response.cookies:
            response.content = finish(request, pieces)
            return response
        entry = (pieces, response["Content-Type"])
        pages.set(key, entry, FRAGMENT_TIMEOUT)
    pieces, content_type = entry
    return HttpResponse(finish(request, pieces), content_type=content_type)


# --- the anonymous chapter page's stamp ------------------------------------------------------


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


@cache
def _stamp_sql(vendor: str) -> str:
    """The stamp's SQL, made once per database vendor from the models' table names."""
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

    Plain SQL, not the ORM, because the benchmark says so: the same query through the ORM (a
    join with a subquery for the version) took chapter_anon from 0.23 to 0.15 of the floor
    (968 → 633 requests/s, back-to-back PostgreSQL runs before and after the move to one app
    per feature; bench/README.md): building it costs more than running it, on every
    anonymous view. Table names come from the models, so a renamed table follows.
    """
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(connection.vendor), [slug, reading_slug, number])
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
