"""The library and the reader: list of readings, a reading's contents, a chapter."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthedRequest, ViewerRequest

from .contents_cache import library_contents
from .forms import TextSearchForm
from .models import Chapter, Passage, Reading, ReadingProgress
from .reader import build_chapter_context
from .search import is_searchable, load_passages, passage_hits
from .uploads import run_import_flow


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label="Title or author", max_length=200, required=False)

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


class ProgressForm(forms.Form):
    chapter = forms.IntegerField(min_value=1)
    passage = forms.CharField(max_length=16, required=False)


def _require_staff(request: AuthedRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can add readings to the library.")


@require_GET
def library(request: ViewerRequest) -> HttpResponse:
    form = LibrarySearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    readings = Reading.objects.with_length().search(query)
    template = "readings/library.html#results" if request.htmx else "readings/library.html"
    context = {"form": form, "query": query, "readings": readings, "in_text": []}
    if query:
        context["in_text"] = _grouped_by_reading(
            load_passages(passage_hits(query, limit=60, per_reading=3))
        )
    return render(request, template, context)


def _grouped_by_reading(hits: list) -> list[tuple[Reading, list]]:
    """Passage hits by reading, the reading of the best hit first."""
    groups: dict[int, tuple[Reading, list]] = {}
    for hit in hits:
        hit.url = hit.passage.get_absolute_url()
        groups.setdefault(hit.reading_id, (hit.passage.reading, []))[1].append(hit)
    return list(groups.values())


@require_GET
def reading_search(request: ViewerRequest, slug: str) -> HttpResponse:
    """Passages of a reading matching what was typed in the reader's search box, best first,
    each linking to its place in the library's reader."""
    reading = get_object_or_404(Reading, slug=slug)
    form = TextSearchForm(request.GET)
    hits = load_passages(passage_hits(form.query, [reading], limit=30))
    for hit in hits:
        hit.url = hit.passage.get_absolute_url()
    context = {
        "reading": reading,
        "form": form,
        "query": form.query,
        "searchable": is_searchable(form.query),
        "hits": hits,
        "total": hits[0].in_reading if hits else 0,
        "reading_url": reading.get_absolute_url(),
        "search_url": request.path,
    }
    return render(request, "readings/search.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reading_create(request: AuthedRequest) -> HttpResponse:
    _require_staff(request)
    step = run_import_flow(request, created_by=request.user)
    if step.reading is not None:
        messages.success(request, f"“{step.reading.title}” is in the library.")
        return redirect(step.reading)
    return render(request, "readings/reading_create.html", {"step": step})


@require_GET
def reading_detail(request: ViewerRequest, slug: str) -> HttpResponse:
    reading = get_object_or_404(Reading, slug=slug)
    return render(request, "readings/reading.html", library_contents(reading, request.user))


@require_GET
def chapter_detail(request: ViewerRequest, slug: str, number: int) -> HttpResponse:
    """A chapter of the library's reader. Reading it writes nothing: for a signed-in reader
    the page carries the progress URL, and reader.js posts the passages reached to it as
    they scroll (see `progress_save`); without JavaScript no progress is recorded."""
    chapter = get_object_or_404(
        Chapter.objects.select_related("reading"), reading__slug=slug, number=number
    )
    context = build_chapter_context(chapter)
    if request.user.is_authenticated:
        context["progress_url"] = reverse("readings:progress-save", kwargs={"slug": slug})
    return render(request, "readings/chapter.html", context)


@login_required
@require_POST
def progress_save(request: AuthedRequest, slug: str) -> HttpResponse:
    """Remember how far a signed-in reader has got (posted by reader.js, from the library's
    reader and from a circle's).

    "Continue reading" goes to the furthest place reached in the main text: a post moves it
    only forward in reading order (a later passage of the same chapter, or any place in a
    later chapter); posts from earlier places (re-reading) and from notes (a note passage
    or a chapter of notes, reached by following a reference) are accepted and change
    nothing. Always 204 for a valid post, so the page need not care.
    """
    reading = get_object_or_404(Reading, slug=slug)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    chapter = get_object_or_404(Chapter, reading=reading, number=form.cleaned_data["chapter"])
    passage = None
    if form.cleaned_data["passage"]:
        passage = get_object_or_404(Passage, chapter=chapter, key=form.cleaned_data["passage"])
    ReadingProgress.advance(request.user, chapter, passage)
    return HttpResponse(status=204)
