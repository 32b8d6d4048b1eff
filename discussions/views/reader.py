"""Reading with a circle: a reading's contents and a chapter, with the circle's margins.

The chapter's passages, highlighted and counted, are rendered once per discussion version and
cached (`discussions.chapter_body`); an anonymous visitor's whole page is cached too
(`discussions.page_cache`). Threads load on demand into the margin (`views.threads`).
"""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.http import ViewerRequest
from circles.models import Circle
from circles.permissions import can_view_circle, get_circle_for_viewer, is_member, membership_of
from circles.places import circle_place, mark_reach
from circles.schedule import next_session
from discussions import page_cache, permissions
from discussions.chapter_body import CHAPTER_PAGE, MARGIN_TEMPLATE, chapter_body
from discussions.links import chapter_url_for, passage_base_url
from discussions.margin import SHOW_CHOICES
from discussions.models import Comment
from discussions.models.comments import CommentQuerySet
from readings.reader import chapter_navigation, contents_context


@require_GET
def circle_reading(request: ViewerRequest, slug: str, reading_slug: str) -> HttpResponse:
    """A reading's contents in the circle: every chapter links into the circle's reader (with
    its margins), with how many comments each chapter's margins hold; for members, where the
    circle is (who has reached each chapter, of those who share their place)."""
    circle = get_circle_for_viewer(request, slug)
    reading = permissions.get_reading_in_circle(circle, reading_slug)
    context = contents_context(reading, request.user, chapter_url=chapter_url_for(circle))
    if is_member(request.user, circle):
        mark_reach(circle, reading, context["chapters"])
        context["chapter_template"] = "discussions/reader/_reach.html"
        context["membership"] = membership_of(request.user, circle)
        context["place"] = circle_place(circle, reading, next_session(circle, reading))
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
    context["orphan_count"] = _orphans(request, circle, reading).count()
    return render(request, "discussions/reader/contents.html", context)


@require_GET
def reading_orphans(request: ViewerRequest, slug: str, reading_slug: str) -> HttpResponse:
    """Every thread of the reading, in this circle, whose words are no longer in the text, by
    chapter: also those whose chapter a re-import removed, which no chapter page lists."""
    circle = get_circle_for_viewer(request, slug)
    reading = permissions.get_reading_in_circle(circle, reading_slug)
    orphans = list(_orphans(request, circle, reading).select_related("author", "chapter"))
    chapters: dict[object, list[Comment]] = {}
    for root in orphans:
        root.circle, root.reading = circle, reading
        chapters.setdefault(root.chapter, []).append(root)
    context = {
        "circle": circle,
        "reading": reading,
        "chapters": sorted(
            chapters.items(), key=lambda item: item[0].number if item[0] else float("inf")
        ),
        "total": len(orphans),
        "can_reattach": permissions.can_reattach(request.user, circle),
    }
    return render(request, "discussions/reader/orphans.html", context)


def _orphans(request: ViewerRequest, circle: Circle, reading) -> CommentQuerySet:
    return (
        Comment.objects.in_circle(circle)
        .filter(reading=reading)
        .orphaned()
        .shown_to(request.user)
        .order_by("chapter__number", "created_at", "pk")
    )


@require_GET
def circle_chapter(
    request: ViewerRequest, slug: str, reading_slug: str, number: int
) -> HttpResponse:
    show = request.GET.get("show", "all")
    if show not in SHOW_CHOICES or (show == "mine" and not request.user.is_authenticated):
        show = "all"
    if page_cache.is_anonymous_page(request):
        # The page everyone without an account sees, cached whole: one query when warm.
        stamp = page_cache.chapter_stamp(slug, reading_slug, number)
        if stamp is not None and can_view_circle(request.user, stamp.circle):
            return page_cache.serve(
                request,
                stamp.key(show),
                lambda slots: _chapter_page(request, slug, reading_slug, number, show, slots),
            )
    response, pieces = _chapter_page(request, slug, reading_slug, number, show)
    response.content = page_cache.finish(request, pieces)
    return response


def _chapter_page(
    request: ViewerRequest,
    slug: str,
    reading_slug: str,
    number: int,
    show: str,
    slots: dict | None = None,
) -> tuple[HttpResponse, list[bytes]]:
    """The chapter page (its discussion part alone for htmx), cut at its slots."""
    user = request.user
    circle = get_circle_for_viewer(request, slug)
    chapter = permissions.get_chapter_in_circle(user, circle, reading_slug, number)
    reading = chapter.reading
    passage_base = passage_base_url(circle, reading)
    context = chapter_navigation(chapter, chapter_url=chapter_url_for(circle))
    context.update(permissions.viewer_flags(user, circle))
    context.update(
        circle=circle,
        show=show,
        show_choices=[
            (value, label)
            for value, label in SHOW_CHOICES.items()
            if value != "mine" or user.is_authenticated
        ],
        passage_base=passage_base,
        margin_template=MARGIN_TEMPLATE,
        passages_html=page_cache.PASSAGES_HTML,
    )
    context.update(chapter_body(user, circle, chapter, show, passage_base))
    if user.is_authenticated:
        context["progress_url"] = reverse("readings:progress-save", kwargs={"slug": reading.slug})
    if context["is_member"]:
        context["next_up"] = next_session(circle, reading)
    context.update(slots or {})
    passages = context.pop("passages_bytes")
    template = f"{CHAPTER_PAGE}#discussion" if request.htmx else CHAPTER_PAGE
    return page_cache.render_with(request, template, context, {page_cache.PASSAGES: passages})


@require_GET
def keyboard_help(request: ViewerRequest) -> HttpResponse:
    """The reader's keyboard shortcuts, and the switch that turns them off (kept in the
    browser: the shortcuts are the page script's, and so is the switch)."""
    return render(request, "discussions/reader/keyboard.html", {"shortcuts": SHORTCUTS})


# (keys, what they do): the keys annotate.js answers to on a chapter and a passage's page.
SHORTCUTS = [
    (["n"], "Next highlight: moves the focus to the next highlighted phrase’s start"),
    (["p"], "Previous highlight"),
    (["m"], "Open the margin on the highlight or passage you are at, or close it"),
    (["c"], "Comment on the selected words (or, with no selection, on the passage you are at)"),
    (["/"], "Jump to the search box: in the reader, search the reading"),
    (["Escape"], "Close the margin and go back to what opened it"),
    (["Enter", "Space"], "On a highlight’s start: open its discussion"),
]
