"""The live margin of a session: while it is on (`Meeting.is_live`), the session page polls a
small endpoint (htmx, every `POLL_SECONDS`) that answers `304 Not Modified` when nothing was
written on the session's chapters since the page's last answer.

The `ETag` is derived without loading a comment: from the discussion versions of the
session's chapters (`ChapterDiscussion`, bumped in the transaction of every comment write),
the session's own state (live or not, changed when edited), the viewer and the page's last
seen comment, signed with the site's key together with the viewer's session cookie. So a
poll whose tag still matches is answered by `answer_early` (`LivePollMiddleware`), before the
login session and the user are loaded: one query, for the session with its chapters'
versions and, in a private circle, whether the tag's viewer is still an active member. The
tag names its viewer, and the signature shows it was given to that viewer's session; a 304
carries nothing but "nothing changed", and any change sends the poll through the view and
its permission check. (Server-Sent Events would hold a gunicorn sync worker per open page,
so polling it is.)
"""

from __future__ import annotations

import re
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.crypto import salted_hmac

from circles.models import Circle, Meeting, Membership, MembershipState, Visibility
from readings.models import Chapter

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
    return _tag(request, request.user.pk or 0, meeting, since)


def _tag(request: HttpRequest, viewer_pk: int, meeting: Meeting, since: int | None) -> str:
    """`"live-<viewer>-<signature>"`: the viewer in the clear (so `answer_early` can check
    their membership before the user is loaded), signed with everything the answer depends
    on and the session cookie the tag was given to."""
    parts = [
        meeting.pk,
        meeting.is_live,
        meeting.updated_at.isoformat(),
        viewer_pk,
        horizon.asked_to_show(request),
        since,
        _stamp(meeting),
        request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""),
    ]
    signature = salted_hmac("discussions.live.etag", repr(parts), algorithm="sha256")
    return f'"live-{viewer_pk}-{signature.hexdigest()[:32]}"'


def _stamp(meeting: Meeting):
    """The chapters' discussion versions: from the annotations of `with_discussion_stamp`
    when the session was loaded with them (no query), else looked up (one query)."""
    if hasattr(meeting, "discussion_stamp_sum"):
        return (
            meeting.discussion_stamp_sum or None,
            meeting.discussion_stamp_rows or None,
            meeting.discussion_stamp_top,
        )
    versions = chapter_versions(meeting)
    return (
        sum(v for _, v in versions) or None,
        len(versions) or None,
        max((v for _, v in versions), default=None),
    )


def _sent(request: HttpRequest) -> set[str]:
    header = request.headers.get("If-None-Match", "")
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}


def matches(request: HttpRequest, tag: str) -> bool:
    """Whether the request's `If-None-Match` names `tag` (weak or strong, or `*`)."""
    sent = _sent(request)
    return tag in sent or "*" in sent


def since_param(request: HttpRequest) -> int | None:
    """The newest comment the polling page has (`?since=`)."""
    value = request.GET.get("since", "")
    return int(value) if value.isdigit() else None


def not_modified(tag: str) -> HttpResponse:
    response = HttpResponseNotModified()
    return with_poll_headers(response, tag)


def with_poll_headers(response: HttpResponse, tag: str) -> HttpResponse:
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    return response


_TAG = re.compile(r'"live-(\d+)-[0-9a-f]{32}"')
POLL_VIEW = "discussions:meeting-live"


def answer_early(request: HttpRequest) -> HttpResponse | None:
    """A 304 for a live margin's poll whose tag still matches, made before the login session
    and the user are loaded (`LivePollMiddleware`), or None: the request goes on to the view,
    which checks everything (a tag of another session, a viewer no longer a member of a
    private circle, a change)."""
    sent = _sent(request)
    viewers = {int(found[1]) for tag in sent if (found := _TAG.fullmatch(tag))}
    if request.method != "GET" or len(viewers) != 1:
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.view_name != POLL_VIEW:
        return None
    viewer_pk = viewers.pop()
    meeting = poll_state(match.kwargs["slug"], match.kwargs["pk"], viewer_pk)
    public = meeting is not None and meeting.circle_visibility == Visibility.PUBLIC
    if meeting is None or not (public or meeting.viewer_is_member):
        return None
    tag = _tag(request, viewer_pk, meeting, since_param(request))
    return not_modified(tag) if tag in sent else None


def poll_state(slug: str, pk: int, viewer_pk: int) -> Meeting | None:
    """The session with what its tag is made of (its state, its chapters' discussion
    versions as `with_discussion_stamp` gives them), its circle's `circle_visibility`, and
    whether `viewer_pk` is an active member of the circle (`viewer_is_member`): one query."""
    params = [viewer_pk, MembershipState.ACTIVE, pk, slug]
    return next(iter(Meeting.objects.raw(_poll_sql(connection.vendor), params)), None)


@cache
def _poll_sql(vendor: str) -> str:
    """`poll_state`'s SQL, made once per database vendor from the models' table names.

    Plain SQL, not the ORM, because the benchmark says so: built by the ORM (three
    subqueries and an `Exists`), the query cost about 3 ms to make and 0.3 ms to run, three
    quarters of an early answer's time (bench/run.py's `live_poll_304`)."""
    q = connection.ops.quote_name
    meeting, circle, chapter, discussion, membership = (
        q(model._meta.db_table)
        for model in (Meeting, Circle, Chapter, ChapterDiscussion, Membership)
    )
    return (
        "SELECT m.id, m.status, m.live, m.starts_at, m.ends_at, m.updated_at, "
        "c.visibility AS circle_visibility, SUM(d.version) AS discussion_stamp_sum, "
        "COUNT(d.id) AS discussion_stamp_rows, MAX(d.version) AS discussion_stamp_top, "
        f"EXISTS(SELECT 1 FROM {membership} s WHERE s.circle_id = c.id AND s.user_id = %s "
        "AND s.state = %s) AS viewer_is_member "
        f"FROM {meeting} m JOIN {circle} c ON c.id = m.circle_id "
        f"JOIN {chapter} f ON f.id = m.first_chapter_id "
        f"JOIN {chapter} l ON l.id = m.last_chapter_id "
        f"LEFT JOIN {chapter} ch ON ch.reading_id = m.reading_id "
        "AND ch.number >= f.number AND ch.number <= l.number "
        f"LEFT JOIN {discussion} d ON d.circle_id = m.circle_id AND d.chapter_id = ch.id "
        "WHERE m.id = %s AND c.slug = %s GROUP BY m.id, c.id"
    )


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
