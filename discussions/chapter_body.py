"""A chapter's text as a circle discusses it: the title passage, the rendered passages (with
highlights and comment counts), the orphan list and the totals.

Rendered once per version and cached for "show all" under (circle, chapter, its title, text
version, discussion version): the discussion version grows in the transaction of every
comment write (`ChapterDiscussion.bump`), so a cached body is never stale, only replaced, and
a hit costs no query (not even for the passages). The shared entry is what anyone without
private notes in the chapter sees (no private notes in it, nothing per-viewer: no names, no
forms, no CSRF tokens); a reader with private notes here gets an entry of their own.
"""

from __future__ import annotations

import zlib

from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from circles.models import Circle
from readings.models import Chapter
from readings.reader import KIND_MARKUP, chapter_passages, group_passages

from .highlights import describe_highlights, highlight_html
from .margin import ChapterMargin, chapter_margin, orphaned_threads
from .page_cache import FRAGMENT_TIMEOUT

CHAPTER_PAGE = "discussions/reader/chapter.html"
# The margin links beside each passage (its count, "Comment"), put in by the readings
# templates that lay out the passages.
MARGIN_TEMPLATE = "discussions/reader/_passage_margin.html"


def chapter_body(user, circle: Circle, chapter: Chapter, show: str, passage_base: str) -> dict:
    """The body's context for the chapter page; `passages_bytes` goes into the page's
    passages slot (`page_cache.PASSAGES`)."""
    version = chapter.discussion_version
    if version is not None and show != "all":
        margin = chapter_margin(circle, chapter, user, show)
        orphans = orphaned_threads(circle, chapter, user) if margin.orphans else []
        return _context(_render(circle, chapter, margin, orphans, passage_base))
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
        body = _render(circle, chapter, margin, orphans, passage_base)
        fragments.set(key, body, FRAGMENT_TIMEOUT)
    return _context(body)


def _context(body: dict) -> dict:
    return {
        "title_passage": body["title_passage"],
        "passages_bytes": body["passages"],
        "orphans_html": mark_safe(body["orphans_html"]),
        "thread_total": body["thread_total"],
        "comment_total": body["comment_total"],
    }


def _render(
    circle: Circle, chapter: Chapter, margin: ChapterMargin, orphans: list, passage_base: str
) -> dict:
    """Plain values (strings, numbers), ready for the fragment cache."""
    title_passage, passages = chapter_passages(chapter)
    # The title passage is a passage like the others: highlights, count, Comment link.
    for passage in passages if title_passage is None else [title_passage, *passages]:
        ranges = margin.highlights.get(passage.pk)
        passage.display_html = highlight_html(passage.html, ranges) if ranges else passage.html
        passage.highlight_notes = describe_highlights(ranges, len(passage.text)) if ranges else ""
        passage.comment_count = margin.counts.get(passage.pk, 0)
        passage.label = KIND_MARKUP[passage.kind][2]
    context = {
        "passage_blocks": group_passages(passages),
        "passage_base": passage_base,
        "margin": True,
        "margin_template": MARGIN_TEMPLATE,
    }
    orphans_html = ""
    if orphans:
        for root in orphans:
            if root.passage_id is None:
                root.thread_url = reverse("discussions:thread", args=[circle.slug, root.pk])
        orphans_html = render_to_string(
            f"{CHAPTER_PAGE}#orphans", {"orphans": orphans, "passage_base": passage_base}
        )
    return {
        "title_passage": (
            {
                "key": title_passage.key,
                "display_html": title_passage.display_html,
                "highlight_notes": title_passage.highlight_notes,
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
