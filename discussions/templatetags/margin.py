"""Template helpers for pages that show a circle's margin discussion (circle home, session).

`{% recent_threads circle as threads %}` and `{% threads_on_chapters circle chapters as
threads %}` give the newest-active thread roots the viewer may see (one query each, chapter and
author joined); `{% circle_chapter_url circle chapter %}` is the chapter in the circle's reader.
"""

from __future__ import annotations

from django import template
from django.urls import reverse

from discussions.models import Comment

register = template.Library()

RECENT = 5


def _viewer(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def recent_threads(context, circle, limit: int = RECENT) -> list[Comment]:
    threads = list(Comment.objects.recent_threads(circle, _viewer(context))[:limit])
    for thread in threads:
        thread.circle = circle
    return threads


@register.simple_tag(takes_context=True)
def threads_on_chapters(context, circle, chapters, limit: int = 10) -> list[Comment]:
    ids = [chapter.pk for chapter in chapters]
    threads = list(
        Comment.objects.recent_threads(circle, _viewer(context)).filter(chapter_id__in=ids)[:limit]
    )
    for thread in threads:
        thread.circle = circle
    return threads


@register.simple_tag
def circle_chapter_url(circle, chapter) -> str:
    return reverse(
        "discussions:circle-chapter", args=[circle.slug, chapter.reading.slug, chapter.number]
    )
