"""A reading's contents in a circle's context: every chapter links into the circle's reader
(with its margins), not the library's bare text."""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from discussions import permissions
from discussions.models import Comment
from discussions.views.circles import ViewerRequest
from discussions.views.reader import chapter_url_for
from readings.reader import contents_context


@require_GET
def circle_reading(request: ViewerRequest, slug: str, reading_slug: str) -> HttpResponse:
    circle = permissions.get_circle_for_viewer(request, slug)
    reading = circle.readings.filter(slug=reading_slug).first()
    if reading is None:
        raise Http404("This circle is not reading that.")
    context = contents_context(reading, request.user, chapter_url=chapter_url_for(circle))
    # How many comments each chapter's margins hold, as any reader of the circle sees them.
    counts = dict(
        Comment.objects.in_circle(circle)
        .filter(reading=reading)
        .public()
        .visible()
        .order_by()
        .values_list("chapter_id")
        .annotate(n=Count("pk"))
    )
    for chapter in context["chapters"]:
        chapter.comment_count = counts.get(chapter.pk, 0)
    context["circle"] = circle
    return render(request, "discussions/circles/reading.html", context)
