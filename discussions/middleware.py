"""Answers a live margin's poll before the rest of the stack runs (`live.answer_early`)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .live import answer_early


class LivePollMiddleware:
    """A poll whose tag still matches gets its 304 here, before the login session and the user
    are loaded (one query instead of three); any other request goes on as usual. It stands
    before `SessionMiddleware` in `MIDDLEWARE`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "If-None-Match" in request.headers:
            early = answer_early(request)
            if early is not None:
                return early
        return self.get_response(request)
