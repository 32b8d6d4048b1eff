"""Invitation links: organizers make and revoke them; whoever holds one can join, or, when it
has expired or is used up, ask the organizers to let them in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.adapter import RETURN_TO, forget_return, remember_return
from accounts.events import announce
from accounts.http import AuthedRequest, ViewerRequest, refused
from circles import permissions, signals
from circles.forms import InviteForm, JoinRequestForm
from circles.models import Invite, InviteUnusable, JoinRequest

# An invitation in one of these states can still lead to a join request.
ASKABLE = {"expired", "used up"}


@login_required
@require_http_methods(["GET", "POST"])
def invites(request: AuthedRequest, slug: str) -> HttpResponse:
    circle = permissions.get_circle_for_organizer(request, slug)
    form = InviteForm(request.POST or None)
    if form.is_valid():
        invite = form.save(circle, by=request.user)
        messages.success(
            request, "A new invitation link is ready. Copy it and send it to the people you invite."
        )
        return redirect(f"{request.path}#invite-{invite.pk}")
    invite_list = list(circle.invites.all())
    for invite in invite_list:
        invite.link = request.build_absolute_uri(invite.get_absolute_url())
    return render(
        request,
        "circles/invites.html",
        {"circle": circle, "form": form, "invites": invite_list, "now": timezone.now()},
        status=refused(form),
    )


@login_required
@require_POST
def invite_revoke(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    invite = permissions.get_invite_for_organizer(request, slug, pk)
    if invite.revoked_at:
        messages.info(request, "That invitation was already revoked.")
    else:
        invite.revoke()
        messages.success(request, "The invitation is revoked; its link no longer works.")
    return redirect("circles:invites", slug)


def _accept_page(request: ViewerRequest, invite: Invite, *, form=None, status=200):
    circle = invite.circle
    user = request.user
    pending = None
    if user.is_authenticated:
        pending = JoinRequest.objects.pending().filter(circle=circle, user=user).first()
    context = {
        "invite": invite,
        "circle": circle,
        "is_member": permissions.is_member(user, circle),
        "is_banned": permissions.is_banned(user, circle),
        "can_ask": invite.status in ASKABLE and permissions.can_ask_to_join(user, circle),
        "askable": invite.status in ASKABLE,
        "pending_request": pending,
        "form": form or JoinRequestForm(),
    }
    return render(request, "circles/invite_accept.html", context, status=status)


@require_http_methods(["GET", "POST"])
def invite_accept(request: ViewerRequest, token: str) -> HttpResponse:
    invite = permissions.get_invite_by_token(token)
    if not request.user.is_authenticated:
        if invite.is_usable or invite.status in ASKABLE:
            # Whoever logs in or signs up from here comes back (accounts.adapter).
            remember_return(request, invite.get_absolute_url())
    elif request.session.get(RETURN_TO) == invite.get_absolute_url():
        forget_return(request)  # back here: done
    if request.method == "GET":
        return _accept_page(request, invite)
    if not request.user.is_authenticated:
        return redirect_to_login(invite.get_absolute_url())
    circle = invite.circle
    if permissions.is_member(request.user, circle):
        messages.info(request, f"You are already a member of “{circle.name}”.")
        return redirect(circle)
    if permissions.is_banned(request.user, circle):
        messages.error(request, "You were removed from this circle and cannot join it again.")
        return redirect(invite)
    try:
        invite.redeem(request.user)
    except InviteUnusable:
        invite.refresh_from_db()
        return _accept_page(request, invite, status=410)
    messages.success(request, f"Welcome to “{circle.name}”.")
    return redirect(circle)


@require_POST
def join_request_create(request: ViewerRequest, token: str) -> HttpResponse:
    invite = permissions.get_invite_by_token(token)
    if not request.user.is_authenticated:
        return redirect_to_login(invite.get_absolute_url())
    circle = invite.circle
    if permissions.is_member(request.user, circle):
        messages.info(request, f"You are already a member of “{circle.name}”.")
        return redirect(circle)
    if invite.status not in ASKABLE or not permissions.can_ask_to_join(request.user, circle):
        if invite.is_usable:
            messages.info(request, "This invitation still works: you can join right away.")
        else:
            messages.error(request, "You cannot ask to join through this invitation.")
        return redirect(invite)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        return _accept_page(request, invite, form=form, status=422)
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                circle=circle, user=request.user, message=form.cleaned_data["message"]
            )
            announce(signals.join_requested, join_request=join_request)
    except IntegrityError:
        messages.info(request, "You have already asked; the organizers will decide soon.")
    else:
        messages.success(request, "Your request is sent. The organizers will decide soon.")
    return redirect(invite)
