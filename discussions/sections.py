"""What the discussions app shows on circles' pages, through the sections they offer
(`circles.sections`; registered in `DiscussionsConfig.ready`).

Discussion of chapters beyond the viewer's horizon is folded here (`discussions.horizon`):
the threads shown are those within it, and a line says how many are folded, with a "show
anyway" link to the same page with `?spoilers=show` (htmx swaps just the section in).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse

from accounts import sections
from accounts.http import request_cache
from accounts.models import User
from circles import sections as circle_sections
from circles.models import Circle, Meeting, Membership, MembershipState, Role
from circles.permissions import is_organizer
from circles.planner import viewer_zone

from . import agenda, horizon, live, permissions, review
from .models import Comment, Flag

RECENT = 5
ON_CHAPTERS = 10


def _threads(request, circle: Circle, comments) -> list[Comment]:
    threads = list(comments)
    for thread in threads:
        thread.circle = circle
    return threads


def _folded(request, circle: Circle, threads, *, limit: int, fold_id: str) -> dict:
    """The threads within the viewer's horizon (at most `limit`) and what the template says
    of the rest: two queries when something may be folded, one when nothing is."""
    seen = horizon.request_horizon(request, circle)
    shown = _threads(request, circle, threads.within_horizon(seen)[:limit])
    folded = threads.beyond_horizon(seen).count() if seen.folds else 0
    return {"threads": shown, **fold_context(request, circle, folded, fold_id)}


def fold_context(request, circle: Circle, folded: int, fold_id: str) -> dict:
    """What `_fold.html` says of `folded` things beyond the viewer's horizon."""
    context = {"folded": folded, "fold_id": fold_id}
    if request is not None and (folded or horizon.asked_to_show(request)):
        context["show_url"] = horizon.url_with(request, show=True)
        context["fold_url"] = horizon.url_with(request, show=False)
        context["shown_anyway"] = horizon.asked_to_show(request) and horizon.would_fold(
            request, circle
        )
    return context


def recent_discussion(request, *, circle: Circle) -> str:
    """The circle's newest-active threads the viewer may see, within their horizon."""
    recent = Comment.objects.recent_threads(circle, request.user)
    context = _folded(request, circle, recent, limit=RECENT, fold_id="recent-discussion")
    return render_to_string(
        "discussions/sections/recent_discussion.html",
        {**context, "circle": circle},
        request=request,
    )


def meeting_discussion(request, *, meeting: Meeting, chapters: list) -> str:
    """The newest-active threads on a session's chapters, within the viewer's horizon."""
    circle = meeting.circle
    on_chapters = Comment.objects.recent_threads(circle, request.user).filter(
        chapter_id__in=[chapter.pk for chapter in chapters]
    )
    return render_to_string(
        "discussions/sections/meeting_discussion.html",
        _folded(request, circle, on_chapters, limit=ON_CHAPTERS, fold_id="session-discussion"),
        request=request,
    )


def meeting_participation(request, *, meeting: Meeting, chapters: list) -> str:
    """For the circle's organizers: who wrote in the margins of the session's chapters, in
    alphabetical order — names only, nothing counted or ranked (one query)."""
    circle = meeting.circle
    if not is_organizer(request.user, circle):
        return ""
    wrote = (
        Comment.objects.in_circle(circle)
        .public()
        .visible()
        .filter(chapter_id__in=[chapter.pk for chapter in chapters])
        .values("author_id")
    )
    writers = User.objects.filter(
        pk__in=wrote, memberships__circle=circle, memberships__state=MembershipState.ACTIVE
    )
    return render_to_string(
        "discussions/sections/meeting_participation.html",
        {"writers": sorted((user.name for user in writers), key=str.casefold)},
        request=request,
    )


def agenda_context(request, meeting: Meeting) -> dict:
    """A session's proposed agenda as the viewer sees it (`discussions.agenda`): organizers
    the whole of it, dropped items apart; others within their horizon."""
    circle = meeting.circle
    if is_organizer(request.user, circle):
        items = agenda.agenda_for(meeting, request.user, with_dropped=True)
        fold = fold_context(request, circle, 0, "agenda")
        organizer = True
    else:
        seen = horizon.request_horizon(request, circle)
        items, folded = agenda.agenda_within(meeting, request.user, seen)
        fold = fold_context(request, circle, folded, "agenda")
        organizer = False
    return {
        "meeting": meeting,
        "circle": circle,
        "items": [item for item in items if not item.dropped],
        "dropped": [item for item in items if item.dropped],
        "is_organizer": organizer,
        **fold,
    }


def meeting_agenda(request, *, meeting: Meeting, chapters: list) -> str:
    """The threads members marked "Raise at the session", as the session's proposed agenda."""
    return render_to_string(
        "discussions/sections/meeting_agenda.html",
        agenda_context(request, meeting),
        request=request,
    )


def live_context(request, meeting: Meeting, *, since: int | None = None, tag: str = "") -> dict:
    """The live margin: the newest comments on the session's chapters, what is new since
    `since` (the newest the page had), and the poll's address and entity tag."""
    circle = meeting.circle
    base = {
        "meeting": meeting,
        "circle": circle,
        "viewer_zone": viewer_zone(request.user, circle),
        "can_switch": is_organizer(request.user, circle) and not meeting.is_cancelled,
    }
    if not meeting.is_live:  # no poll, nothing to look up
        return base
    comments, folded = live.latest_comments(request, meeting)
    latest = comments[0].pk if comments else (since or 0)
    new = [c for c in comments if since is not None and c.pk > since]
    if latest != since or not tag:
        tag = live.etag(request, meeting, latest)
    query = {"since": latest}
    if horizon.asked_to_show(request):
        query[horizon.SHOW_PARAM] = horizon.SHOW_VALUE
    poll_url = reverse("discussions:meeting-live", args=[circle.slug, meeting.pk])
    return base | {
        "comments": comments,
        "new": new[:3],
        "new_count": len(new),
        "announce": since is not None,
        "poll_url": f"{poll_url}?{urlencode(query)}",
        "poll_headers": json.dumps({"If-None-Match": tag}),
        "poll_every": live.POLL_SECONDS,
        **fold_context(request, circle, folded, "live-margin"),
    }


def meeting_live(request, *, meeting: Meeting, chapters: list) -> str:
    """The live margin, while the session is on (and a word on when it will be, else);
    nothing on a cancelled session's page, or a past one's."""
    if meeting.is_cancelled or (meeting.is_past and not meeting.is_live):
        return ""
    return render_to_string(
        "discussions/sections/meeting_live.html", live_context(request, meeting), request=request
    )


def meeting_notes_links(request, *, meeting: Meeting) -> str:
    """Under the notes form: the agenda's threads as Markdown links to paste into the notes."""
    items = agenda.agenda_for(meeting, request.user)
    if not items:
        return ""
    for item in items:
        quote = item.thread.anchor_exact or item.thread.plain_text
        label = " ".join(quote.split())[:60].replace("[", "(").replace("]", ")")
        url = item.thread.get_absolute_url().replace("#c-", "#t-")
        item.markdown = f"[“{label}”]({url})"
    return render_to_string(
        "discussions/sections/meeting_notes_links.html", {"items": items}, request=request
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
    if is_organizer(request.user, circle):
        tools += render_to_string("discussions/sections/margin_tools.html", {"circle": circle})
    return tools


def open_flags_count(request, *, membership: Membership) -> str:
    """On "My circles", for a circle the viewer moderates: its open flags, if any. The counts
    of all the circles they moderate come in one query, the first time one is asked for."""
    if not membership.is_moderator:
        return ""
    cache = request_cache("open-flags")
    counts = cache.get(membership.user_id) if cache is not None else None
    if counts is None:
        counts = _open_flags_by_circle(membership.user_id)
        if cache is not None:
            cache[membership.user_id] = counts
    open_flags = counts.get(membership.circle_id, 0)
    if not open_flags:
        return ""
    return render_to_string(
        "discussions/sections/open_flags.html",
        {"circle": membership.circle, "open_flags": open_flags},
    )


def _open_flags_by_circle(user_id: int) -> dict[int, int]:
    """{circle id: open flags} of the circles `user_id` moderates (one query)."""
    moderated = Membership.objects.active().filter(
        user_id=user_id, role__in=[Role.ORGANIZER, Role.MODERATOR]
    )
    return dict(
        Flag.objects.open()
        .filter(comment__circle__in=moderated.values("circle_id"))
        .order_by()
        .values_list("comment__circle_id")
        .annotate(n=Count("pk"))
    )


def register() -> None:
    sections.register(circle_sections.CIRCLE_DISCUSSION, recent_discussion)
    sections.register(circle_sections.CIRCLE_TOOLS, circle_tools)
    sections.register(circle_sections.MEMBERS_TOOLS, moderation_link)
    sections.register(circle_sections.MEETING_DISCUSSION, meeting_discussion)
    sections.register(circle_sections.MEETING_PARTICIPATION, meeting_participation)
    sections.register(circle_sections.MEETING_AGENDA, meeting_agenda)
    sections.register(circle_sections.MEETING_LIVE, meeting_live)
    sections.register(circle_sections.MEETING_NOTES, meeting_notes_links)
    sections.register(circle_sections.MY_CIRCLE_CARD, open_flags_count)
