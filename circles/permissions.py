"""The one place that answers "may this person do this to this circle or session?".

Views call the `get_*` helpers, which raise Http404 for anyone who may not know a private
circle exists and PermissionDenied (403) for people who can see it but lack the right.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import FilteredRelation, Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.http import request_cache

from .models import Circle, Invite, JoinRequest, Meeting, Membership, MembershipState, Role


def membership_of(user, circle: Circle) -> Membership | None:
    """The user's membership in the circle (active or banned), or None; looked up once per
    request (`accounts.http.request_cache`)."""
    if not user.is_authenticated:
        return None
    cache = request_cache("memberships")
    key = (user.pk, circle.pk)
    if cache is not None and key in cache:
        return cache[key]
    membership = Membership.objects.filter(circle=circle, user=user).first()
    if membership is not None:
        membership.circle = circle
    if cache is not None:
        cache[key] = membership
    return membership


def can_view_circle(user, circle: Circle) -> bool:
    """Anyone sees a public circle (asking nothing of the database); a private one, its
    active members and staff."""
    if circle.is_public or (user.is_authenticated and user.is_staff):
        return True
    membership = membership_of(user, circle)
    return membership is not None and membership.state == MembershipState.ACTIVE


def is_member(user, circle: Circle) -> bool:
    membership = membership_of(user, circle)
    return membership is not None and membership.is_active


def is_banned(user, circle: Circle) -> bool:
    membership = membership_of(user, circle)
    return membership is not None and membership.state == MembershipState.BANNED


def is_organizer(user, circle: Circle) -> bool:
    membership = membership_of(user, circle)
    return membership is not None and membership.is_organizer


def is_moderator(user, circle: Circle) -> bool:
    """Moderators and organizers."""
    membership = membership_of(user, circle)
    return membership is not None and membership.is_moderator


def can_join(user, circle: Circle) -> bool:
    """Public circles: any signed-in person who is not already in (or banned from) it."""
    return user.is_authenticated and circle.is_public and membership_of(user, circle) is None


def can_leave(user, circle: Circle) -> bool:
    """Anyone can leave, except the last organizer, who must hand over first."""
    membership = membership_of(user, circle)
    if membership is None or not membership.is_active:
        return False
    return not (membership.role == Role.ORGANIZER and circle.organizer_count() <= 1)


def can_rsvp(user, meeting: Meeting) -> bool:
    return is_member(user, meeting.circle) and not meeting.is_cancelled


def can_manage_meetings(user, circle: Circle) -> bool:
    return is_organizer(user, circle)


def can_create_circle(user) -> bool:
    """Any signed-in person with a verified email address may start a circle."""
    from allauth.account.models import EmailAddress

    return user.is_authenticated and EmailAddress.objects.filter(user=user, verified=True).exists()


def can_ask_to_join(user, circle: Circle) -> bool:
    """Signed-in people who are not in the circle (and not banned from it) may ask to join."""
    return user.is_authenticated and membership_of(user, circle) is None


# --- helpers for views ---------------------------------------------------------------------


def circle_with_membership(user, slug: str) -> Circle:
    """The circle by its slug (404 if there is none) with `user`'s membership in it, loaded in
    the same query and kept for the request (`membership_of` asks nothing more)."""
    if not user.is_authenticated:
        return get_object_or_404(Circle, slug=slug)
    viewer = FilteredRelation("memberships", condition=Q(memberships__user=user))
    circle = get_object_or_404(
        Circle.objects.annotate(viewer=viewer).select_related("viewer"), slug=slug
    )
    membership = getattr(circle, "viewer", None)  # not set when there is none
    if membership is not None:
        membership.circle = circle
    cache = request_cache("memberships")
    if cache is not None:
        cache[(user.pk, circle.pk)] = membership
    return circle


def get_circle_for_viewer(request: HttpRequest, slug: str) -> Circle:
    """The circle, if this person may see it; 404 otherwise (private circles stay hidden).
    One query, the viewer's membership with it."""
    circle = circle_with_membership(request.user, slug)
    if not can_view_circle(request.user, circle):
        raise Http404("No circle here.")
    return circle


def get_circle_for_member(request: HttpRequest, slug: str) -> Circle:
    """404 for those who may not see the circle, 403 for those who see it but are not in it."""
    circle = get_circle_for_viewer(request, slug)
    if not is_member(request.user, circle):
        raise PermissionDenied("Only members of this circle can do that.")
    return circle


def get_circle_for_organizer(request: HttpRequest, slug: str) -> Circle:
    circle = get_circle_for_viewer(request, slug)
    if not is_organizer(request.user, circle):
        raise PermissionDenied("Only the circle's organizers can do that.")
    return circle


def get_meeting_for_viewer(request: HttpRequest, slug: str, pk: int) -> Meeting:
    """The session, if this person may see its circle (one query, and the membership's);
    404 otherwise. The live margin's poll asks this every few seconds."""
    meeting = get_object_or_404(Meeting.objects.for_display(), circle__slug=slug, pk=pk)
    if not can_view_circle(request.user, meeting.circle):
        raise Http404("No circle here.")
    return meeting


def get_membership_for_organizer(request: HttpRequest, slug: str, pk: int) -> Membership:
    """A membership of a circle the requester organizes (404 if it is not in that circle)."""
    circle = get_circle_for_organizer(request, slug)
    membership = get_object_or_404(
        Membership.objects.active().select_related("user", "circle"), circle=circle, pk=pk
    )
    membership.circle = circle
    return membership


def get_invite_for_organizer(request: HttpRequest, slug: str, pk: int) -> Invite:
    circle = get_circle_for_organizer(request, slug)
    return get_object_or_404(Invite, circle=circle, pk=pk)


def get_join_request_for_organizer(request: HttpRequest, slug: str, pk: int) -> JoinRequest:
    circle = get_circle_for_organizer(request, slug)
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("user"), circle=circle, pk=pk
    )
    join_request.circle = circle
    return join_request


def get_invite_by_token(token: str) -> Invite:
    """Whoever holds an invitation's link may see the circle's name; unknown links are 404."""
    return get_object_or_404(Invite.objects.select_related("circle"), token=token)


def get_meeting_for_member(request: HttpRequest, slug: str, pk: int) -> Meeting:
    """404 for those who may not see the circle, 403 for those who see it but are not in it."""
    meeting = get_meeting_for_viewer(request, slug, pk)
    if not is_member(request.user, meeting.circle):
        raise PermissionDenied("Only members of this circle can do that.")
    return meeting


def get_meeting_for_organizer(request: HttpRequest, slug: str, pk: int) -> Meeting:
    meeting = get_meeting_for_viewer(request, slug, pk)
    if not can_manage_meetings(request.user, meeting.circle):
        raise PermissionDenied("Only the circle's organizers can do that.")
    return meeting


def get_public_circle(slug: str) -> Circle:
    """Circle calendar feeds exist for public circles only; private ones are 404 to everyone.
    Loaded with `texts_changed` (see `Circle.objects.with_schedule_stamp`)."""
    circle = Circle.objects.with_schedule_stamp(slug)
    if circle is None or not circle.is_public:
        raise Http404("No calendar here.")
    return circle
