"""A session's handout: its agenda (the organizer's text, then the threads raised, in the
agenda's order), each thread with its quote, chapter, a link to its passage and its comments
with authors and dates; the notes, once written. Never the chapters' text, only the quotes.

It holds what the viewer reads on the page: no private notes, no hidden comments (not even
for the moderators, who read them on the page: a handout is passed round), deleted comments
left out, and threads on chapters beyond the viewer's horizon folded, as on the page
(`?spoilers=show` unfolds them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest

from circles.models import Meeting
from circles.planner import viewer_zone

from . import agenda, horizon
from .models import Comment, CommentState
from .sections import fold_context


@dataclass
class HandoutThread:
    item: agenda.Item
    comments: list[Comment]
    url: str

    @property
    def thread(self) -> Comment:
        return self.item.thread


def handout_context(request: HttpRequest, meeting: Meeting) -> dict:
    """What the handout holds for this viewer: three queries for the agenda (with what is
    folded) and its comments."""
    circle = meeting.circle
    seen = horizon.request_horizon(request, circle)
    items, folded = agenda.agenda_within(meeting, request.user, seen)
    ids = [item.thread.pk for item in items]
    comments = (
        Comment.objects.filter(Q(pk__in=ids) | Q(root_id__in=ids))
        .public()
        .visible()
        .select_related("author")
        .order_by("created_at", "pk")
    )
    by_thread: dict[int, list[Comment]] = {pk: [] for pk in ids}
    for comment in comments:
        by_thread[comment.thread_id].append(comment)
    threads = [
        HandoutThread(
            item,
            by_thread[item.thread.pk],
            settings.SITE_URL + item.thread.get_absolute_url().replace("#c-", "#t-"),
        )
        for item in items
    ]
    return {
        "meeting": meeting,
        "circle": circle,
        "chapters": list(meeting.chapters()),
        "threads": threads,
        "viewer_zone": viewer_zone(request.user, circle),
        "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
        "root_deleted": CommentState.DELETED,
        **fold_context(request, circle, folded, "handout"),
    }


def tidy_markdown(text: str) -> str:
    """No runs of blank lines the template's tags leave behind; one newline at the end."""
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
