"""Template helpers for pages that show a circle's margin discussion (circle home, session).

`{% recent_threads circle as threads %}` and `{% threads_on_chapters circle chapters as
threads %}` give the newest-active thread roots the viewer may see (one query each, chapter and
author joined); `{% circle_chapter_url circle chapter %}` is the chapter in the circle's reader;
`{{ when|ago }}` says "just now" or "5 minutes ago"; `{{ circle|viewer_zone:user }}` names the zone
the viewer reads session times in.
"""

from __future__ import annotations

from datetime import datetime

from django import template
from django.urls import reverse
from django.utils.timesince import timesince

from discussions import planner
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


def time_ago(when: datetime, now: datetime | None = None) -> str:
    """How long before `now` (by default, now), in words; under a minute is "just now" (not
    "0 minutes ago")."""
    since = timesince(when, now)
    return "just now" if since.startswith(("0\xa0", "0 ")) else f"{since} ago"


@register.filter
def ago(when: datetime | None) -> str:
    """`time_ago`, for templates: empty for no time."""
    return "" if when is None else time_ago(when)


@register.filter
def viewer_zone(circle, user) -> str:
    """`{{ circle|viewer_zone:user }}`: the zone `user` reads the circle's session times in
    (`planner.viewer_zone`)."""
    return planner.viewer_zone(user, circle)


@register.simple_tag
def circle_chapter_url(circle, chapter) -> str:
    return reverse(
        "discussions:circle-chapter", args=[circle.slug, chapter.reading.slug, chapter.number]
    )
