"""A passage's page with all its threads (also the margin's thread panel, for htmx), and a
thread's own page (for threads whose passage is gone)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.http import ViewerRequest
from circles.permissions import get_circle_for_viewer
from discussions import permissions
from discussions.panels import thread_context, thread_panel_context


def _pk_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@require_GET
def passage_detail(request: ViewerRequest, slug: str, reading_slug: str, key: str) -> HttpResponse:
    """A passage's page: its text and every thread on it. With HX-Request, only the panel."""
    circle = get_circle_for_viewer(request, slug)
    passage = permissions.get_passage_in_circle(circle, reading_slug, key)
    context = thread_panel_context(
        request,
        circle,
        passage,
        reply_to=_pk_param(request, "reply"),
        editing=_pk_param(request, "edit"),
        compose=request.GET.get("compose") == "1",
    )
    if request.htmx:
        return render(request, "discussions/reader/passage.html#thread_panel", context)
    return render(request, "discussions/reader/passage.html", context)


@require_GET
def thread_detail(request: ViewerRequest, slug: str, pk: int) -> HttpResponse:
    """A thread on its own page: its stored quote, its replies, and for moderators the form
    to re-attach it. For threads whose passage is gone (a re-import dropped it); a thread
    whose passage is there lives on that passage's page, and a reply in its thread."""
    comment = permissions.get_comment_for_viewer(request, slug, pk)
    if not comment.is_root:
        return redirect(comment.get_absolute_url())
    if comment.passage_id is not None:
        return redirect(comment.get_absolute_url().replace("#c-", "#t-"))
    circle = comment.circle
    context = thread_context(
        request,
        circle,
        comment,
        reply_to=_pk_param(request, "reply"),
        editing=_pk_param(request, "edit"),
    )
    if not context["threads"]:
        raise Http404("This thread was deleted.")
    if request.htmx:
        return render(request, "discussions/reader/thread.html#thread_panel", context)
    return render(request, "discussions/reader/thread.html", context)
