"""What every app's views share about a request: its typed shapes, and a cache that lives as
long as the request does.

`AuthedRequest` is a request behind `@login_required`; `ViewerRequest` one that anybody may
make. Both carry django-htmx's details.

`request_cache(name)` is a dict for memoising lookups while one request is served (e.g. the
viewer's membership in a circle, asked by several permission checks): `RequestCacheMiddleware`
makes a fresh one for each request and drops it after, so nothing has to be cleared by hand.
Outside a request (a task, a management command, a test calling a service) it is None and
callers look things up afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


class ViewerRequest(HttpRequest):
    user: User | AnonymousUser
    htmx: HtmxDetails


_cache: ContextVar[dict[str, dict] | None] = ContextVar("request_cache", default=None)


def request_cache(name: str) -> dict | None:
    """The current request's cache called `name` (made empty on first use), or None outside a
    request."""
    caches = _cache.get()
    if caches is None:
        return None
    return caches.setdefault(name, {})


class RequestCacheMiddleware:
    """Gives every request its own `request_cache`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _cache.set({})
        try:
            return self.get_response(request)
        finally:
            _cache.reset(token)


def refused(*forms) -> int:
    """The status of a page that shows `forms` (or formsets): 422 when one of them was sent and
    refused (the page shows it again with its errors; htmx swaps 422s in, see base.html), else
    200."""
    sent = [form for form in forms if form is not None and form.is_bound]
    return 422 if any(not form.is_valid() for form in sent) else 200
