"""The margin at a session: "Raise at the session" marks, the agenda organizers edit, the live
margin's poll, and the handout (printable page and Markdown download)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthedRequest, ViewerRequest
from circles.permissions import get_meeting_for_organizer, get_meeting_for_viewer
from discussions import agenda, handout, live, permissions
from discussions.sections import agenda_context, live_context


@login_required
@require_POST
def thread_raise(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Mark the thread "Raise at the session", or take the mark back. htmx gets the button
    and its count again; without JavaScript, back to the thread."""
    thread = permissions.get_thread_for_raising(request, slug, pk)
    agenda.toggle_mark(request.user, thread)
    if request.htmx:
        thread.raise_count, thread.raised_by_viewer = agenda.mark_state(request.user, thread)
        thread.raisable = True
        context = {"root": thread, "circle": thread.circle, "can_comment": True, "announce": True}
        return render(request, "discussions/reader/_raise.html", context)
    return redirect(thread.get_absolute_url().replace("#c-", "#t-"))


@login_required
@require_POST
def agenda_edit(request: AuthedRequest, slug: str, pk: int, thread_pk: int) -> HttpResponse:
    """An organizer moves, pins, drops, restores or marks discussed an item of the agenda."""
    meeting = get_meeting_for_organizer(request, slug, pk)
    error = ""
    try:
        agenda.edit_agenda(meeting, request.user, thread_pk, request.POST.get("action", ""))
    except agenda.AgendaError as refusal:
        error = str(refusal)
    if request.htmx:
        context = agenda_context(request, meeting) | {"agenda_error": error, "moved": thread_pk}
        context["focus_on"] = _focus_after(context, thread_pk, request.POST.get("action", ""))
        return render(
            request,
            "discussions/sections/meeting_agenda.html#agenda",
            context,
            status=422 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect(f"{meeting.get_absolute_url()}#agenda")


def _focus_after(context: dict, thread_pk: int, action: str) -> str:
    """Which of the item's buttons takes the focus after an htmx swap when the one pressed is
    gone (moved to the top, or the bottom, dropped or restored); htmx keeps the focus on the
    pressed one, by its id, when it is still there."""
    item = next((i for i in context["items"] if i.thread.pk == thread_pk), None)
    if item is None:
        return "restore" if action == "drop" else ""
    if action == "restore":
        return "drop"
    if action == "up" and item.first:
        return "pin" if item.last else "down"
    if action == "down" and item.last:
        return "pin" if item.first else "up"
    return ""


@require_GET
def meeting_live(request: ViewerRequest, slug: str, pk: int) -> HttpResponse:
    """The live margin's poll: 304 while nothing changed (`If-None-Match`; most are answered
    before this view, by `live.answer_early`), else the live margin again, with what is new
    since the page's last comment announced politely."""
    meeting = permissions.get_meeting_for_live(request, slug, pk)
    since = live.since_param(request)
    tag = live.etag(request, meeting, since)
    if live.matches(request, tag):
        return live.not_modified(tag)
    context = live_context(request, meeting, since=since, tag=tag)
    response = render(request, "discussions/sections/meeting_live.html#live", context)
    return live.with_poll_headers(response, tag)


@require_GET
def meeting_handout(request: ViewerRequest, slug: str, pk: int) -> HttpResponse:
    """The session's handout as a printable page: the agenda and its threads (their quotes,
    not the chapters' text), as the viewer may read them."""
    meeting = get_meeting_for_viewer(request, slug, pk)
    context = handout.handout_context(request, meeting)
    return render(request, "discussions/handout.html", context)


@require_GET
def meeting_handout_markdown(request: ViewerRequest, slug: str, pk: int) -> HttpResponse:
    """The same handout as a Markdown file to download."""
    meeting = get_meeting_for_viewer(request, slug, pk)
    context = handout.handout_context(request, meeting)
    text = render_to_string("discussions/handout.md", context, request=request)
    response = HttpResponse(
        handout.tidy_markdown(text), content_type="text/markdown; charset=utf-8"
    )
    name = slugify(f"{meeting.circle.name} {meeting.title}") or "handout"
    response["Content-Disposition"] = f'attachment; filename="{name}.md"'
    return response
