"""Search in a circle: a reading's text in the circle's reader, and the circle's discussion."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.http import ViewerRequest
from circles.permissions import get_circle_for_viewer
from discussions import horizon, permissions
from discussions.forms import DiscussionSearchForm
from discussions.links import chapter_url_for
from discussions.search import Filters, comment_search
from readings.forms import TextSearchForm
from readings.models import Chapter
from readings.search import is_searchable, load_passages, passage_hits


@require_GET
def reading_search(request: ViewerRequest, slug: str, reading_slug: str) -> HttpResponse:
    """The reader's search box in a circle: passages of the reading matching the words, each
    linking to its place in the circle's reader (with the margins)."""
    circle = get_circle_for_viewer(request, slug)
    reading = permissions.get_reading_in_circle(circle, reading_slug)
    form = TextSearchForm(request.GET)
    hits = load_passages(passage_hits(form.query, [reading], limit=30))
    chapter_url = chapter_url_for(circle)
    for hit in hits:
        hit.url = f"{chapter_url(hit.passage.chapter)}#{hit.passage.anchor}"
    context = {
        "circle": circle,
        "reading": reading,
        "form": form,
        "query": form.query,
        "searchable": is_searchable(form.query),
        "hits": hits,
        "total": hits[0].in_reading if hits else 0,
        "reading_url": reverse("discussions:circle-reading", args=[circle.slug, reading.slug]),
        "search_url": request.path,
    }
    return render(request, "readings/search.html", context)


@require_GET
def circle_search(request: ViewerRequest, slug: str) -> HttpResponse:
    """The circle's discussion searched: comments and the words they are anchored to, as the
    viewer may see them; what lies beyond their horizon is counted and folded."""
    circle = get_circle_for_viewer(request, slug)
    readings = list(circle.readings.order_by("title"))
    authors = [m.user for m in circle.memberships.active().select_related("user").order_by()]
    authors.sort(key=lambda user: user.name.casefold())
    form = DiscussionSearchForm(request.GET or None, readings=readings, authors=authors)
    context = {"circle": circle, "form": form, "query": ""}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        filters = Filters(author_id=data["author"], unanswered=data["unanswered"])
        filters.reading = form.readings.get(data["reading"])
        if filters.reading is not None and data["chapter"]:
            filters.chapter = Chapter.objects.filter(
                reading=filters.reading, number=data["chapter"]
            ).first()
            if filters.chapter is None:
                form.add_error("chapter", f"“{filters.reading.title}” has no such chapter.")
        if form.is_valid():
            seen = horizon.request_horizon(request, circle)
            results = comment_search(request.user, circle, data["q"], seen, filters)
            context.update(
                query=data["q"],
                searchable=is_searchable(data["q"]),
                results=results,
                show_url=horizon.url_with(request, show=True) if results.folded else "",
                shown_anyway=horizon.asked_to_show(request) and horizon.would_fold(request, circle),
                fold_url=horizon.url_with(request, show=False),
            )
    return render(request, "discussions/search.html", context)
