"""A passage's page with its threads a page at a time (also the margin's thread panel, for
htmx), and a thread's own page (for threads whose passage is gone)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.http import ViewerRequest
from circles.permissions import get_circle_for_viewer
from discussions import horizon, permissions
from discussions.panels import absolutize_links, thread_context, thread_panel_context
from discussions.thread_pages import number_param


def _pk_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


FOLDED_PANEL = "discussions/reader/_folded_panel.html"


def _fold(request: ViewerRequest, context: dict) -> bool:
    """Whether to fold the margin of a later chapter (`horizon.margin_folded`) on this page;
    asking to write, reply or edit there is opening it on purpose. If so, `context` gets
    what the folded panel says."""
    if any(request.GET.get(name) for name in ("compose", "reply", "edit")):
        return False
    nodes = [*context["threads"], *context.get("orphans", [])]
    if not _written_by_others(nodes, request.user.pk):  # nothing to fold but the reader's own
        return False
    circle, chapter = context["circle"], context["chapter"]
    if not horizon.margin_folded(request, circle, chapter, context["chapter_url"]):
        return False
    context["folded"] = len(nodes)
    context["show_url"] = horizon.url_with(request, show=True)
    passage = context["passage"]
    if getattr(passage, "html", None):  # its text, without the highlights of what is folded
        passage.display_html = absolutize_links(passage.html, context["chapter_url"])
    return True


def _written_by_others(nodes: list, user_pk: int | None) -> bool:
    """Whether any comment in these threads (replies too) is someone else's."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node.comment.author_id is None or node.comment.author_id != user_pk:
            return True
        stack.extend(node.children)
    return False


@require_GET
def passage_detail(request: ViewerRequest, slug: str, reading_slug: str, key: str) -> HttpResponse:
    """A passage's page: its text and its threads, a page at a time (`?page=`), or one
    thread in full (`?thread=`). With HX-Request, only the panel (or, for a later page, only
    its threads and the link to the next)."""
    circle = get_circle_for_viewer(request, slug)
    passage = permissions.get_passage_in_circle(circle, reading_slug, key)
    page = number_param(request.GET.get("page"))
    context = thread_panel_context(
        request,
        circle,
        passage,
        reply_to=_pk_param(request, "reply"),
        editing=_pk_param(request, "edit"),
        compose=request.GET.get("compose") == "1",
        page=page,
        expand=_pk_param(request, "thread"),
        replies_from=number_param(request.GET.get("from"), 0),
        show=_pk_param(request, "c"),
    )
    folded = _fold(request, context)
    if request.htmx:
        if page > 1 and not folded:  # "More threads": the next page, after the others
            return render(request, "discussions/reader/passage.html#thread_list", context)
        panel = FOLDED_PANEL if folded else "discussions/reader/passage.html#thread_panel"
        return render(request, panel, context)
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
        replies_from=number_param(request.GET.get("from"), 0),
        show=_pk_param(request, "c"),
    )
    if not context["threads"]:
        raise Http404("This thread was deleted.")
    folded = _fold(request, context)
    if request.htmx:
        panel = FOLDED_PANEL if folded else "discussions/reader/thread.html#thread_panel"
        return render(request, panel, context)
    return render(request, "discussions/reader/thread.html", context)
