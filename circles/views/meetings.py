"""A circle's sessions (`Meeting`): create, plan a schedule, show, edit, cancel, RSVP, notes.

Scheduling, changing and cancelling are announced (`circles.signals.meetings_announced`) once
they commit; the notifications app tells the members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.events import announce
from accounts.http import AuthedRequest, ViewerRequest, refused
from circles import signals
from circles.meeting_forms import (
    MeetingForm,
    NotesForm,
    PlanForm,
    PlanFormSet,
    RSVPForm,
    local_parts,
)
from circles.models import RSVP, Meeting, RSVPAnswer
from circles.permissions import (
    can_manage_meetings,
    can_rsvp,
    get_circle_for_organizer,
    get_meeting_for_member,
    get_meeting_for_organizer,
    get_meeting_for_viewer,
    is_member,
)
from circles.planner import PlanError, next_meeting_number, propose, viewer_zone
from circles.signals import MeetingChange

RSVP_ERROR = "Choose going, maybe or can’t go."


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: AuthedRequest, slug: str) -> HttpResponse:
    circle = get_circle_for_organizer(request, slug)
    form = MeetingForm(request.POST or None, circle=circle)
    if form.is_valid():
        with transaction.atomic():
            meeting = form.save(by=request.user)
            _announce(request, [meeting], MeetingChange.SCHEDULED)
        messages.success(request, "The session is scheduled; members will hear by email.")
        _tell(request, form.notices)
        return redirect(meeting)
    context = {"circle": circle, "form": form, "meeting": None}
    return render(request, "circles/meetings/form.html", context, status=refused(form))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_plan(request: AuthedRequest, slug: str) -> HttpResponse:
    """Plan a schedule: POST "preview" proposes rows, POST "save" creates them all or none."""
    circle = get_circle_for_organizer(request, slug)
    form = PlanForm(request.POST or None, circle=circle)
    formset, proposal_error = None, ""
    action = request.POST.get("action")
    # New sessions continue the circle's numbering: a second plan does not restart at 1.
    first_number = next_meeting_number(circle)
    if form.is_valid():
        plan = form.cleaned_data
        chapters = list(plan["reading"].chapters.order_by("number"))
        row_kwargs = {"chapters": chapters, "time_zone": circle.time_zone}
        if action == "save":
            formset = PlanFormSet(request.POST, prefix="meetings", form_kwargs=row_kwargs)
            if formset.is_valid():
                with transaction.atomic():
                    meetings = formset.save(
                        circle=circle, reading=plan["reading"], plan=plan, by=request.user
                    )
                    _announce(request, meetings, MeetingChange.SCHEDULED)
                messages.success(
                    request, f"{len(meetings)} sessions are scheduled; members will hear by email."
                )
                _tell(request, formset.notices)
                return redirect(circle)
        else:
            try:
                proposal = propose(
                    chapters,
                    first=plan["first_date"],
                    at=plan["time"],
                    cadence=plan["cadence"],
                    count=plan["count"],
                    time_zone=circle.time_zone,
                    first_number=first_number,
                )
            except PlanError as error:
                proposal_error = str(error)
            else:
                formset = PlanFormSet(
                    prefix="meetings",
                    form_kwargs=row_kwargs,
                    initial=[
                        {
                            "title": row.title,
                            "first_chapter": row.first_chapter.number,
                            "last_chapter": row.last_chapter.number,
                            "date": local_parts(row.starts_at, circle.time_zone)[0],
                            "time": plan["time"],
                        }
                        for row in proposal
                    ],
                )
    return render(
        request,
        "circles/meetings/plan.html",
        {
            "circle": circle,
            "form": form,
            # The rows' form repeats the plan as hidden fields (without ids: no duplicates).
            "hidden_plan": PlanForm(request.POST, circle=circle, auto_id=False),
            "formset": formset,
            "first_number": first_number,
            "proposal_error": proposal_error,
        },
        status=422 if proposal_error else refused(form, formset),
    )


def _announce(request: AuthedRequest, meetings: list[Meeting], change: MeetingChange) -> None:
    """Tell whoever listens (the notifications app) once the write commits."""
    announce(signals.meetings_announced, meetings=meetings, change=change, by=request.user)


def _tell(request: HttpRequest, notices: list[str]) -> None:
    """What the form noticed about the times it was given (a time that happens twice)."""
    for notice in notices:
        messages.info(request, notice)


@require_GET
def meeting_detail(request: ViewerRequest, slug: str, pk: int) -> HttpResponse:
    meeting = get_meeting_for_viewer(request, slug, pk)
    return render(request, "circles/meetings/detail.html", _detail_context(request, meeting))


def _detail_context(request: ViewerRequest, meeting: Meeting) -> dict:
    circle = meeting.circle
    user = request.user
    chapters = list(meeting.chapters().select_related("reading"))
    rsvps = RSVP.objects.filter(meeting=meeting).answers()
    member = is_member(user, circle)
    by_answer = {answer: [name for a, _, name in rsvps if a == answer] for answer in RSVPAnswer}
    mine = next((answer for answer, user_pk, _ in rsvps if user_pk == user.pk), None)
    zone = viewer_zone(user, circle)
    can_manage = can_manage_meetings(user, circle)
    return {
        "circle": circle,
        "meeting": meeting,
        "chapters": chapters,
        "minutes": sum(c.minutes for c in chapters),
        "viewer_zone": zone,
        "zone_differs": zone != circle.time_zone,
        "is_member": member,
        "can_rsvp": can_rsvp(user, meeting),
        "can_manage": can_manage,
        "not_answered": _not_answered(meeting, rsvps) if can_manage else [],
        "answered": [
            (answer.label, sorted(names, key=str.casefold))
            for answer, names in by_answer.items()
            if names and can_manage
        ],
        "answers": [
            {
                "value": answer.value,
                "label": answer.label,
                "count": len(by_answer[answer]),
                "people": by_answer[answer] if member else [],
                "mine": mine == answer.value,
            }
            for answer in RSVPAnswer
        ],
        "my_answer": RSVPAnswer(mine).label if mine else "",
    }


def _not_answered(meeting: Meeting, rsvps: list[tuple[str, int, str]]) -> list[str]:
    """The names of the circle's members who have not answered, in alphabetical order."""
    answered = {user_pk for _, user_pk, _ in rsvps}
    members = meeting.circle.memberships.active().select_related("user")
    names = [m.user.name for m in members if m.user_id not in answered]
    return sorted(names, key=str.casefold)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    meeting = get_meeting_for_organizer(request, slug, pk)
    if meeting.is_cancelled:
        messages.error(request, "A cancelled session cannot be changed.")
        return redirect(meeting)
    form = MeetingForm(request.POST or None, circle=meeting.circle, instance=meeting)
    if form.is_valid():
        if form.has_changed():
            with transaction.atomic():
                meeting = form.save()
                meeting.bump_sequence()
                _announce(request, [meeting], MeetingChange.CHANGED)
            messages.success(request, "The session is updated; members will hear by email.")
            _tell(request, form.notices)
        return redirect(meeting)
    return render(
        request,
        "circles/meetings/form.html",
        {"circle": meeting.circle, "form": form, "meeting": meeting},
        status=refused(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST cancels (the session stays, marked cancelled)."""
    meeting = get_meeting_for_organizer(request, slug, pk)
    if request.method == "POST":
        if not meeting.is_cancelled:
            with transaction.atomic():
                meeting.cancel()
                _announce(request, [meeting], MeetingChange.CANCELLED)
            messages.success(request, "The session is cancelled; members will hear by email.")
        return redirect(meeting)
    return render(
        request, "circles/meetings/cancel.html", {"circle": meeting.circle, "meeting": meeting}
    )


@login_required
@require_POST
def meeting_rsvp(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Going, maybe or can't go. An answer that is none of these is refused: a message on the
    page, or (htmx) the RSVP block saying so, with status 422."""
    meeting = get_meeting_for_member(request, slug, pk)
    form = RSVPForm(request.POST)
    error = ""
    if meeting.is_cancelled:
        messages.error(request, "This session is cancelled.")
    elif not form.is_valid():
        error = RSVP_ERROR
    elif can_rsvp(request.user, meeting):
        meeting.answer_rsvp(request.user, form.cleaned_data["answer"])
    if request.htmx:
        context = _detail_context(request, meeting) | {"rsvp_error": error}
        return render(
            request, "circles/meetings/detail.html#rsvp", context, status=422 if error else 200
        )
    if error:
        messages.error(request, error)
    return redirect(f"{meeting.get_absolute_url()}#rsvp")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_notes(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    meeting = get_meeting_for_organizer(request, slug, pk)
    form = NotesForm(request.POST or None, instance=meeting)
    if form.is_valid():
        form.save(commit=False)
        meeting.save(update_fields=["notes"])
        messages.success(request, "The notes are saved.")
        if request.htmx:
            return HttpResponseClientRedirect(meeting.get_absolute_url())
        return redirect(meeting)
    return render(
        request,
        "circles/meetings/notes.html",
        {"circle": meeting.circle, "meeting": meeting, "form": form},
        status=refused(form),
    )


@login_required
@require_POST
def meeting_live_switch(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """An organizer switches the live margin on outside the session's hours (or off again)."""
    meeting = get_meeting_for_organizer(request, slug, pk)
    if meeting.is_cancelled:
        messages.error(request, "This session is cancelled.")
    else:
        meeting.live = request.POST.get("live") == "on"
        meeting.save(update_fields=["live"])
        messages.success(
            request, "The live margin is on." if meeting.live else "The live margin is off."
        )
    return redirect(f"{meeting.get_absolute_url()}#live-margin")
