"""Reading with a circle: a chapter with the circle's highlights and counts.

The chapter's passages, highlighted and counted, are rendered once per discussion version and
cached (see `_chapter_body`); an anonymous visitor's whole page is cached too (see
`discussions.page_cache`). Threads load on demand into the margin (`discussions.views.threads`).
"""

from __future__ import annotations

import secrets
import zlib

from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from accounts.models import User
from discussions import page_cache, permissions
from discussions.comments import (
    SHOW_CHOICES,
    ChapterMargin,
    chapter_margin,
    orphaned_threads,
)
from discussions.highlights import highlight_html
from discussions.models import (
    ChapterDiscussion,
    Circle,
    Comment,
    Meeting,
)
from readings.models import Chapter, Reading
from readings.reader import KIND_MARKUP, chapter_navigation, chapter_passages, group_passages


class ViewerRequest(HttpRequest):
    user: User | AnonymousUser
    htmx: HtmxDetails


def chapter_url_for(circle: Circle):
    def url(chapter: Chapter) -> str:
        return reverse(
            "discussions:circle-chapter", args=[circle.slug, chapter.reading.slug, chapter.number]
        )

    return url


def passage_base_url(circle: Circle, reading: Reading) -> str:
    """`/circles/<slug>/read/<reading>/p/` — a passage's page is this plus `<key>/`."""
    return reverse("discussions:passage", args=[circle.slug, reading.slug, "KEY"])[: -len("KEY/")]


# A number no real primary key reaches, reversed in a URL and cut out again.
PK_MARK = 987654321


def thread_base_url(circle: Circle) -> str:
    """`/circles/<slug>/threads/` — a thread's own page is this plus `<pk>/`."""
    return reverse("discussions:thread", args=[circle.slug, PK_MARK])[: -len(f"{PK_MARK}/")]


def _chapter_in_circle(request: ViewerRequest, circle: Circle, reading_slug: str, number: int):
    """The chapter (reading joined) of a reading of the circle, with its discussion version
    and whether the viewer has private notes in it: one query."""
    user = request.user
    versions = ChapterDiscussion.objects.filter(circle=circle, chapter=OuterRef("pk"))
    chapters = Chapter.objects.select_related("reading").annotate(
        discussion_version=Subquery(versions.values("version")[:1])
    )
    if user.is_authenticated:
        notes = Comment.objects.filter(
            circle=circle, chapter=OuterRef("pk"), author=user, is_private=True
        )
        chapters = chapters.annotate(has_private_notes=Exists(notes))
    chapter = chapters.filter(
        reading__slug=reading_slug, number=number, reading__circles=circle
    ).first()
    if chapter is None:
        raise Http404("This circle is not reading that.")
    if not user.is_authenticated:
        chapter.has_private_notes = False
    return chapter


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
        if stamp is not None and permissions.can_view_circle(request.user, stamp.circle):
            return page_cache.serve(
                request,
                stamp.key(show),
                lambda slots: _load_chapter_page(request, slug, reading_slug, number, show, slots),
            )
    return _load_chapter_page(request, slug, reading_slug, number, show)


def _load_chapter_page(
    request: ViewerRequest,
    slug: str,
    reading_slug: str,
    number: int,
    show: str,
    extra: dict | None = None,
) -> HttpResponse:
    circle = permissions.get_circle_for_viewer(request, slug)
    chapter = _chapter_in_circle(request, circle, reading_slug, number)
    return _chapter_page(request, circle, chapter, show, extra)


def _chapter_page(
    request: ViewerRequest, circle: Circle, chapter: Chapter, show: str, extra: dict | None = None
) -> HttpResponse:
    reading = chapter.reading
    context = chapter_navigation(chapter, chapter_url=chapter_url_for(circle))
    user = request.user
    passage_base = passage_base_url(circle, reading)
    context.update(
        circle=circle,
        show=show,
        show_choices=[
            (value, label)
            for value, label in SHOW_CHOICES.items()
            if value != "mine" or user.is_authenticated
        ],
        passage_base=passage_base,
        can_comment=permissions.can_comment(user, circle),
        is_member=permissions.is_member(user, circle),
        is_banned=permissions.is_banned(user, circle),
    )
    context.update(_chapter_body(request, circle, chapter, show, passage_base))
    if user.is_authenticated:
        context["progress_url"] = reverse("readings:progress-save", kwargs={"slug": reading.slug})
    if context["is_member"]:
        # `Meeting.objects.next_for(user)` in this circle, without joining the membership
        # that `is_member` has just checked.
        context["next_up"] = (
            Meeting.objects.filter(circle=circle).scheduled().upcoming().for_display().first()
        )
    context.update(extra or {})
    template = "discussions/reader/chapter.html"
    return _render_spliced(request, f"{template}#discussion" if request.htmx else template, context)


# Where the cached passages go in a rendered chapter page (random, so no text can match it).
PASSAGES_SLOT = f"<!--passages-{secrets.token_hex(8)}-->"


def _render_spliced(request: ViewerRequest, template: str, context: dict) -> HttpResponse:
    """Render the page around a slot and put the cached passages (already UTF-8) in it.

    A chapter's passages are most of its page (hundreds of kB); rendered in place they would
    be copied at every level of the templates and encoded again for every request.
    """
    passages: bytes = context.pop("passages_bytes")
    context["passages_html"] = mark_safe(PASSAGES_SLOT)
    response = render(request, template, context)
    before, slot, after = response.content.partition(PASSAGES_SLOT.encode())
    if slot:
        response.content = b"".join((before, passages, after))
    return response


def _chapter_body(
    request: ViewerRequest, circle: Circle, chapter: Chapter, show: str, passage_base: str
) -> dict:
    """The chapter's text as the circle discusses it: the title passage, the rendered
    passages (with highlights and counts), the orphan list and the totals.

    Cached for "show all" under (circle, chapter, its title, text version, discussion
    version): the discussion version grows in the transaction of every comment write, so a
    cached body is never stale, only replaced, and a hit costs no query (not even for the
    passages). The shared entry is what anyone without private notes in the chapter sees (no
    private notes in it, nothing per-viewer: no names, no forms, no CSRF tokens); a reader
    with private notes here gets an entry of their own.
    """
    version = chapter.discussion_version
    user = request.user
    if version is not None and show != "all":
        margin = chapter_margin(circle, chapter, user, show)
        orphans = orphaned_threads(circle, chapter, user) if margin.orphans else []
        return _body_context(_render_body(circle, chapter, margin, orphans, passage_base))
    key = "chapter-body:{}:{}:{}:{}:{}:{}".format(
        circle.pk,
        chapter.pk,
        zlib.crc32(chapter.title.encode()),
        chapter.reading.text_version,
        version or 0,
        f"u{user.pk}" if chapter.has_private_notes else "all",
    )
    fragments = caches["fragments"]
    body = fragments.get(key)
    if body is None:
        if version is None:  # nobody ever wrote here
            margin, orphans = ChapterMargin(), []
        else:
            viewer = user if chapter.has_private_notes else AnonymousUser()
            margin = chapter_margin(circle, chapter, viewer)
            orphans = orphaned_threads(circle, chapter, viewer) if margin.orphans else []
        body = _render_body(circle, chapter, margin, orphans, passage_base)
        fragments.set(key, body, page_cache.FRAGMENT_TIMEOUT)
    return _body_context(body)


def _body_context(body: dict) -> dict:
    return {
        "title_passage": body["title_passage"],
        "passages_bytes": body["passages"],
        "orphans_html": mark_safe(body["orphans_html"]),
        "thread_total": body["thread_total"],
        "comment_total": body["comment_total"],
    }


def _render_body(
    circle: Circle, chapter: Chapter, margin: ChapterMargin, orphans: list, passage_base: str
) -> dict:
    """Plain values (strings, numbers), ready for the fragment cache."""
    title_passage, passages = chapter_passages(chapter)
    # The title passage is a passage like the others: highlights, count, Comment link.
    for passage in passages if title_passage is None else [title_passage, *passages]:
        ranges = margin.highlights.get(passage.pk)
        passage.display_html = highlight_html(passage.html, ranges) if ranges else passage.html
        passage.comment_count = margin.counts.get(passage.pk, 0)
        passage.label = KIND_MARKUP[passage.kind][2]
    template = "discussions/reader/chapter.html"
    context = {
        "passage_blocks": group_passages(passages),
        "passage_base": passage_base,
        "margin": True,
    }
    orphans_html = ""
    if orphans:
        orphans_html = render_to_string(
            f"{template}#orphans",
            {
                "orphans": orphans,
                "passage_base": passage_base,
                "thread_base": thread_base_url(circle),
            },
        )
    return {
        "title_passage": (
            {
                "key": title_passage.key,
                "display_html": title_passage.display_html,
                "comment_count": title_passage.comment_count,
                "label": title_passage.label,
            }
            if title_passage
            else None
        ),
        "passages": render_to_string("readings/_passages.html", context).encode(),
        "orphans_html": str(orphans_html),
        "thread_total": margin.threads,
        "comment_total": margin.comments,
    }
