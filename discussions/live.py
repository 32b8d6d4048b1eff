"""The live margin of a session: while it is on (`Meeting.is_live`), the session page polls a
small endpoint (htmx, every `POLL_SECONDS`) that answers `304 Not Modified` when nothing was
written on the session's chapters since the page's last answer.

The `ETag` is derived without loading a comment: from the discussion versions of the
session's chapters (`ChapterDiscussion`, bumped in the transaction of every comment write),
the session's own state (live or not, changed when edited), the viewer and the page's last
seen comment. So an open page costs, every few seconds, the lookups of the permission check
and one small query; hundreds of them cost next to nothing. (Server-Sent Events would hold a
gunicorn sync worker per open page, so polling it is.)
"""

from __future__ import annotations

import hashlib

from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from circles.models import Meeting

from . import horizon
from .models import ChapterDiscussion, Comment, CommentState

POLL_SECONDS = 5
SHOWN = 8


def with_discussion_stamp(meetings):
    """Annotate each session with its chapters' discussion versions, summed up, counted and
    their highest (`discussion_stamp_*`), in the query that loads it: every comment write
    bumps one version by one, so the three change whenever anything is written."""
    versions = ChapterDiscussion.objects.filter(
        circle_id=OuterRef("circle_id"),
        chapter__reading_id=OuterRef("reading_id"),
        chapter__number__gte=OuterRef("first_chapter__number"),
        chapter__number__lte=OuterRef("last_chapter__number"),
    ).order_by()

    def stamp(aggregate):
        # Grouped by the circle, which the filter makes one group: an aggregate per session.
        return Subquery(versions.values("circle_id").annotate(v=aggregate).values("v"))

    return meetings.annotate(
        discussion_stamp_sum=stamp(Sum("version")),
        discussion_stamp_rows=stamp(Count("pk")),
        discussion_stamp_top=stamp(Max("version")),
    )


def chapter_versions(meeting: Meeting) -> list[tuple[int, int]]:
    """(chapter id, discussion version) of the session's discussed chapters: one query."""
    return list(
        ChapterDiscussion.objects.filter(
            circle_id=meeting.circle_id,
            chapter__reading_id=meeting.reading_id,
            chapter__number__gte=meeting.first_chapter.number,
            chapter__number__lte=meeting.last_chapter.number,
        )
        .order_by("chapter_id")
        .values_list("chapter_id", "version")
    )


def etag(request: HttpRequest, meeting: Meeting, since: int | None) -> str:
    """The live margin's entity tag for this viewer and page (no query for a session loaded
    `with_discussion_stamp`, else one)."""
    parts = [
        meeting.pk,
        meeting.is_live,
        meeting.updated_at.isoformat(),
        request.user.pk,
        horizon.asked_to_show(request),
        since,
        _stamp(meeting),
    ]
    return '"live-' + hashlib.sha256(repr(parts).encode()).hexdigest()[:20] + '"'


def _stamp(meeting: Meeting):
    """The chapters' discussion versions: from the annotations of `with_discussion_stamp`
    when the session was loaded with them (no query), else looked up (one query)."""
    if hasattr(meeting, "discussion_stamp_sum"):
        return (
            meeting.discussion_stamp_sum,
            meeting.discussion_stamp_rows,
            meeting.discussion_stamp_top,
        )
    versions = chapter_versions(meeting)
    return (
        sum(v for _, v in versions) or None,
        len(versions) or None,
        max((v for _, v in versions), default=None),
    )


def matches(request: HttpRequest, tag: str) -> bool:
    """Whether the request's `If-None-Match` names `tag` (weak or strong, or `*`)."""
    header = request.headers.get("If-None-Match", "")
    sent = {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}
    return tag in sent or "*" in sent


def latest_comments(request: HttpRequest, meeting: Meeting) -> tuple[list[Comment], int]:
    """The newest shared, visible comments and replies on the session's chapters within the
    viewer's horizon (newest first, at most `SHOWN`), and how many threads are folded: two
    queries."""
    circle = meeting.circle
    on_chapters = (
        Comment.objects.in_circle(circle)
        .public()
        .visible()
        .filter(
            reading_id=meeting.reading_id,
            chapter__number__gte=meeting.first_chapter.number,
            chapter__number__lte=meeting.last_chapter.number,
        )
        .exclude(root__state=CommentState.HIDDEN)
        .exclude(root__is_private=True)
    )
    seen = horizon.request_horizon(request, circle)
    comments = list(
        on_chapters.within_horizon(seen)
        .select_related("author", "chapter", "root", "reading")
        .order_by("-pk")[:SHOWN]
    )
    for comment in comments:
        comment.circle = circle
    folded = 0
    if seen.folds:  # counted in threads, as the fold line says
        beyond = on_chapters.beyond_horizon(seen).annotate(thread=Coalesce("root_id", "pk"))
        folded = beyond.values("thread").distinct().count()
    return comments, folded
