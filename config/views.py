"""Site-wide pages that belong to no app."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from circles.models import Circle
from readings.models import Reading


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What Marginalia is, with a way in: public circles to join and texts to read."""
    circles = Circle.objects.public().with_member_count().order_by("-created_at")[:6]
    readings = Reading.objects.with_length().order_by("title")[:6]
    return render(request, "home.html", {"circles": circles, "readings": readings})


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness check for load balancers; touches no database."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages (such as the admin's) that name no icon."""
    return redirect(static("favicon.svg"), permanent=True)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the site's layout; plain text if even that cannot be made (the error
    may be in what the layout needs, such as the database)."""
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logging.getLogger(__name__).exception("The 500 page could not be rendered")
        return HttpResponseServerError(
            "Something went wrong on our side. Try again in a minute.", content_type="text/plain"
        )
