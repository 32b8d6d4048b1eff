"""Site-wide pages that belong to no app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness check for load balancers; touches no database."""
    return HttpResponse("ok", content_type="text/plain")
