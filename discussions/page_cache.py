"""Whole pages for anonymous readers, rendered once and kept in the per-process fragment
cache.

What an anonymous visitor sees of a public circle's chapter is the same for everyone, but
two strings in it must be new in every response: the CSP nonce and the CSRF token. The page
is rendered with a placeholder for each, cached as UTF-8 bytes, and every response gets the
request's own values put in their place (which also makes Django send the matching CSP
header and CSRF cookie, exactly as when the page is rendered).

Callers build the cache key from version numbers and values read from the database for the
request anyway (see `discussions.views.reader.circle_chapter`), so an entry is never stale,
only replaced.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token

# Random per process, so that no text in a page can ever match them.
NONCE_SLOT = f"nonce-slot-{secrets.token_hex(12)}"
CSRF_SLOT = f"csrf-slot-{secrets.token_hex(12)}"
SLOTS = {"csp_nonce": NONCE_SLOT, "csrf_token": CSRF_SLOT}

PAGE_TIMEOUT = 60 * 60 * 24


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


def serve(request: HttpRequest, key: str, render: Callable[[dict], HttpResponse]) -> HttpResponse:
    """The page cached under `key`, or `render(SLOTS)` — a response rendered with the
    placeholders in its context — stored under it. Only plain 200 answers are kept."""
    pages = caches["fragments"]
    entry = pages.get(key)
    if entry is None:
        response = render(SLOTS)
        if response.status_code != 200 or response.cookies or response.streaming:
            return _fill(request, response)
        entry = (response.content, response["Content-Type"])
        pages.set(key, entry, PAGE_TIMEOUT)
    content, content_type = entry
    return _fill(request, HttpResponse(content, content_type=content_type))


def _fill(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Put this request's nonce and CSRF token where the placeholders are."""
    if response.streaming:
        return response
    content = response.content
    if NONCE_SLOT.encode() in content:
        content = content.replace(NONCE_SLOT.encode(), str(get_nonce(request)).encode())
    if CSRF_SLOT.encode() in content:
        content = content.replace(CSRF_SLOT.encode(), get_token(request).encode())
    response.content = content
    return response
