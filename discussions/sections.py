"""What the discussions app shows on circles' pages, through the sections they offer
(`circles.sections`; registered in `DiscussionsConfig.ready`)."""

from __future__ import annotations

from django.template.loader import render_to_string

from accounts import sections
from circles import permissions as circle_permissions
from circles import sections as circle_sections
from circles.models import Circle, Meeting

from . import permissions, review
from .models import Comment

RECENT = 5
ON_CHAPTERS = 10


def _threads(request, circle: Circle, comments) -> list[Comment]:
    threads = list(comments)
    for thread in threads:
        thread.circle = circle
    return threads


def recent_discussion(request, *, circle: Circle) -> str:
    """The circle's newest-active threads the viewer may see (one query)."""
    recent = Comment.objects.recent_threads(circle, request.user)[:RECENT]
    return render_to_string(
        "discussions/sections/recent_discussion.html",
        {"threads": _threads(request, circle, recent)},
        request=request,
    )


def meeting_discussion(request, *, meeting: Meeting, chapters: list) -> str:
    """The newest-active threads on a session's chapters (one query)."""
    circle = meeting.circle
    on_chapters = Comment.objects.recent_threads(circle, request.user).filter(
        chapter_id__in=[chapter.pk for chapter in chapters]
    )[:ON_CHAPTERS]
    return render_to_string(
        "discussions/sections/meeting_discussion.html",
        {"threads": _threads(request, circle, on_chapters)},
        request=request,
    )


def moderation_link(request, *, circle: Circle, item: bool = False) -> str:
    """For the circle's moderators: the way to its moderation page, with the open flags."""
    if not permissions.can_moderate(request.user, circle):
        return ""
    return render_to_string(
        "discussions/sections/moderation_link.html",
        {"circle": circle, "open_flags": review.open_flag_count(circle), "item": item},
    )


def circle_tools(request, *, circle: Circle) -> str:
    """Moderation for moderators; the margin's export and import for organizers."""
    tools = moderation_link(request, circle=circle, item=True)
    if circle_permissions.is_organizer(request.user, circle):
        tools += render_to_string("discussions/sections/margin_tools.html", {"circle": circle})
    return tools


def register() -> None:
    sections.register(circle_sections.CIRCLE_DISCUSSION, recent_discussion)
    sections.register(circle_sections.CIRCLE_TOOLS, circle_tools)
    sections.register(circle_sections.MEMBERS_TOOLS, moderation_link)
    sections.register(circle_sections.MEETING_DISCUSSION, meeting_discussion)
