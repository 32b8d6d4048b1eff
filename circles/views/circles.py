"""Circles: the directory, "my circles", a circle's home, starting and editing a circle,
joining and leaving, and adding readings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthedRequest, ViewerRequest, refused
from circles import permissions
from circles.forms import AddReadingForm, CircleForm
from circles.models import Circle, JoinRequest, LastOrganizer, Meeting, Membership
from circles.places import circle_place, current_reading
from circles.planner import viewer_zone
from readings.uploads import ImportStep, ReadingUploadForm, run_import_flow

PAST_MEETINGS_SHOWN = 10


@require_GET
def circle_list(request: ViewerRequest) -> HttpResponse:
    circles = Circle.objects.public().with_member_count().order_by("name")
    return render(request, "circles/list.html", {"circles": circles})


@login_required
@require_GET
def my_circles(request: AuthedRequest) -> HttpResponse:
    memberships = list(
        Membership.objects.active()
        .filter(user=request.user)
        .select_related("circle")
        .order_by("circle__name")
    )
    # The next session of every circle, in one query for all of them.
    next_sessions: dict[int, Meeting] = {}
    circle_ids = [membership.circle_id for membership in memberships]
    for meeting in (
        Meeting.objects.filter(circle_id__in=circle_ids).upcoming().scheduled().for_display()
    ):
        next_sessions.setdefault(meeting.circle_id, meeting)
    for membership in memberships:
        membership.next_session = next_sessions.get(membership.circle_id)
    pending = JoinRequest.objects.pending().filter(user=request.user).select_related("circle")
    return render(
        request,
        "circles/mine.html",
        {"memberships": memberships, "pending_requests": pending},
    )


@login_required
@require_http_methods(["GET", "POST"])
def circle_create(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_create_circle(request.user):
        raise PermissionDenied("Verify your email address before starting a circle.")
    form = CircleForm(request.POST or None, user=request.user)
    if form.is_valid():
        circle = form.save_new(organizer=request.user)
        messages.success(request, f"“{circle.name}” is ready. Invite people or add a session.")
        return redirect(circle)
    return render(
        request, "circles/form.html", {"form": form, "circle": None}, status=refused(form)
    )


@require_GET
def circle_detail(request: ViewerRequest, slug: str) -> HttpResponse:
    circle = permissions.get_circle_for_viewer(request, slug)
    user = request.user
    upcoming = list(circle.meetings.upcoming().for_display())
    past = list(circle.meetings.past().for_display()[:PAST_MEETINGS_SHOWN])
    next_session = next((meeting for meeting in upcoming if not meeting.is_cancelled), None)
    chapters = []
    if next_session is not None:
        chapters = list(next_session.chapters())
        for chapter in chapters:
            chapter.reading = next_session.reading
    members = list(circle.memberships.active().by_role())
    is_organizer = permissions.is_organizer(user, circle)
    is_member = permissions.is_member(user, circle)
    context = {
        "circle": circle,
        "membership": permissions.membership_of(user, circle),
        "is_member": is_member,
        "read_on": circle.where_to_read(user, next_session) if is_member else None,
        "place": _place(circle, next_session) if is_member else None,
        "is_organizer": is_organizer,
        "pending_requests": circle.join_requests.pending().count() if is_organizer else 0,
        "can_join": permissions.can_join(user, circle),
        "can_leave": permissions.can_leave(user, circle),
        "is_banned": permissions.is_banned(user, circle),
        "is_moderator": permissions.is_moderator(user, circle),
        "next_session": next_session,
        "chapters": chapters,
        "upcoming": upcoming,
        "past": past,
        "members": members,
        "readings": circle.readings.order_by("title"),
        "viewer_zone": viewer_zone(user, circle),
    }
    return render(request, "circles/detail.html", context)


def _place(circle: Circle, next_session: Meeting | None):
    reading = current_reading(circle, next_session)
    return circle_place(circle, reading, next_session) if reading is not None else None


@login_required
@require_http_methods(["GET", "POST"])
def circle_edit(request: AuthedRequest, slug: str) -> HttpResponse:
    circle = permissions.get_circle_for_organizer(request, slug)
    form = CircleForm(request.POST or None, instance=circle)
    if form.is_valid():
        form.save()
        messages.success(request, "The circle’s details are saved.")
        return redirect(circle)
    return render(
        request, "circles/form.html", {"form": form, "circle": circle}, status=refused(form)
    )


@require_POST
def circle_join(request: ViewerRequest, slug: str) -> HttpResponse:
    circle = permissions.get_circle_for_viewer(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(circle.get_absolute_url())
    if permissions.is_member(request.user, circle):
        messages.info(request, f"You are already a member of “{circle.name}”.")
    elif permissions.is_banned(request.user, circle):
        messages.error(request, "You were removed from this circle and cannot join it again.")
    elif not permissions.can_join(request.user, circle):
        raise PermissionDenied("This circle is joined by invitation only.")
    else:
        circle.add_member(request.user)
        messages.success(request, f"Welcome to “{circle.name}”.")
    return redirect(circle)


@login_required
@require_POST
def circle_leave(request: AuthedRequest, slug: str) -> HttpResponse:
    circle = permissions.get_circle_for_member(request, slug)
    try:
        circle.leave(request.user)
    except LastOrganizer as error:
        messages.error(request, str(error))
        return redirect(circle)
    messages.success(request, f"You have left “{circle.name}”.")
    if circle.is_public:
        return redirect(circle)
    return redirect("circles:my-circles")


@login_required
@require_http_methods(["GET", "POST"])
def circle_reading_add(request: AuthedRequest, slug: str) -> HttpResponse:
    """Add a reading from the library, or upload a new one (upload → preview → confirm)."""
    circle = permissions.get_circle_for_organizer(request, slug)
    choose_form = AddReadingForm(request.POST if "reading" in request.POST else None, circle=circle)
    step = None
    if "reading" in request.POST:
        if choose_form.is_valid():
            reading = choose_form.cleaned_data["reading"]
            circle.readings.add(reading)
            messages.success(request, f"“{reading.title}” is now one of the circle’s readings.")
            return redirect(circle)
    else:
        with transaction.atomic():  # the new reading and its place in the circle, or neither
            step = run_import_flow(request, created_by=request.user)
            if step.reading is not None:
                circle.readings.add(step.reading)
        if step.reading is not None:
            messages.success(
                request,
                f"“{step.reading.title}” is in the library and one of the circle’s readings.",
            )
            return redirect(circle)
    if step is None:
        step = ImportStep(upload_form=ReadingUploadForm())
    return render(
        request,
        "circles/reading_add.html",
        {"circle": circle, "choose_form": choose_form, "step": step},
    )


@login_required
@require_POST
def place_sharing(request: AuthedRequest, slug: str) -> HttpResponse:
    """Share my place in the circle's readings with its members, or stop sharing it."""
    circle = permissions.get_circle_for_member(request, slug)
    share = request.POST.get("share")
    if share not in ("yes", "no"):
        messages.error(request, "Choose whether to share your place or not.")
    else:
        membership = permissions.membership_of(request.user, circle)
        membership.share_place = share == "yes"
        membership.save(update_fields=["share_place"])
        if membership.share_place:
            messages.success(request, f"Members of “{circle.name}” now see where you are.")
        else:
            messages.success(request, f"Your place is no longer shared with “{circle.name}”.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = circle.get_absolute_url()
    return redirect(back)
