"""A circle's members page (organizers only): roles, removals and pending join requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.events import announce
from accounts.http import AuthedRequest
from circles import permissions, signals
from circles.forms import DecisionForm, RoleForm
from circles.models import LastOrganizer, MembershipState, Role


@login_required
@require_GET
def members(request: AuthedRequest, slug: str) -> HttpResponse:
    circle = permissions.get_circle_for_organizer(request, slug)
    memberships = list(circle.memberships.by_role())
    context = {
        "circle": circle,
        "memberships": [m for m in memberships if m.state == MembershipState.ACTIVE],
        "banned": [m for m in memberships if m.state == MembershipState.BANNED],
        "join_requests": circle.join_requests.pending().select_related("user"),
        "roles": Role.choices,
    }
    return render(request, "circles/members.html", context)


@login_required
@require_POST
def member_role(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    membership = permissions.get_membership_for_organizer(request, slug, pk)
    form = RoleForm(request.POST)
    error = ""
    if not form.is_valid():
        error = form.errors["role"][0]
    else:
        try:
            membership.change_role(form.cleaned_data["role"])
        except LastOrganizer as problem:
            error = str(problem)
    demoted_self = membership.user_id == request.user.pk and membership.role != Role.ORGANIZER
    if request.htmx and not demoted_self:
        # Only this member's row is swapped.
        return render(
            request,
            "circles/members.html#member_row",
            {
                "circle": membership.circle,
                "membership": membership,
                "roles": Role.choices,
                "row_error": error,
                "row_saved": not error,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
    if demoted_self:  # they no longer manage the members
        if request.htmx:
            return HttpResponseClientRedirect(membership.circle.get_absolute_url())
        return redirect(membership.circle)
    return redirect("circles:members", slug)


@login_required
@require_POST
def member_remove(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    membership = permissions.get_membership_for_organizer(request, slug, pk)
    try:
        membership.remove()
    except LastOrganizer as problem:
        messages.error(request, str(problem))
        return redirect("circles:members", slug)
    if membership.user_id == request.user.pk:
        messages.success(request, f"You have left “{membership.circle.name}”.")
        return redirect("circles:my-circles")
    messages.success(request, f"{membership.user} is no longer a member.")
    return redirect("circles:members", slug)


@login_required
@require_POST
def join_request_decide(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    join_request = permissions.get_join_request_for_organizer(request, slug, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["decision"][0])
    elif not join_request.is_pending:
        messages.info(request, f"{join_request.user}’s request was already decided.")
    else:
        with transaction.atomic():
            join_request.decide(request.user, approve=form.approve)
            announce(signals.join_decided, join_request=join_request)
        if form.approve:
            messages.success(request, f"{join_request.user} is now a member.")
        else:
            messages.success(request, f"{join_request.user}’s request was declined.")
    return redirect("circles:members", slug)
