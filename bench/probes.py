"""What the stack costs before a page does anything: views served only by the benchmark's
server (`bench.settings`), each doing one thing a real page cannot avoid, so that the table
shows the ceiling a page's ratio to the floor can reach.

- `one_query`: one round trip to the database (`SELECT 1`), nothing else.
- `signed_in`: the login session and the user loaded, as for every member's page (two
  queries), nothing else.
- `body`: the anonymous chapter page's bytes, already made (the size of what is sent)."""

from __future__ import annotations

import os

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

# The body probe's size: bench/run.py sets it to the chapter page's before the server starts.
BODY_BYTES_ENV = "BENCH_BODY_BYTES"
BODY = b"x" * int(os.environ.get(BODY_BYTES_ENV, "1000"))


def one_query(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


def signed_in(request: HttpRequest) -> HttpResponse:
    assert request.user.is_authenticated, "the probe is loaded with a member's cookies"
    return HttpResponse("ok", content_type="text/plain")


def body(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [
    path("bench/one-query", one_query),
    path("bench/signed-in", signed_in),
    path("bench/body", body),
]
