"""The one place that answers "may this person do this to this circle or session?".

Views call the `get_*` helpers, which raise Http404 for anyone who may not know a private
circle exists and PermissionDenied (403) for people who can see it but lack the right.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import (
    Circle,
    CommentState,
    Invite,
    JoinRequest,
    Meeting,
    Membership,
    MembershipState,
    Notification,
    Role,
)


def membership_of(user, circle: Circle) -> Membership | None:
    """The user's membership in the circle (active or banned), or None. Cached per request."""
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_membership_cache", {})
    if circle.pk not in cache:
        cache[circle.pk] = Membership.objects.filter(circle=circle, user=user).first()
    return cache[circle.pk]


def can_view_circle(user, circle: Circle) -> bool:
    if user.is_authenticated and user.is_staff:
        return True
    membership = membership_of(user, circle)
    if circle.is_public:
        return True
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


def can_manage_sessions(user, circle: Circle) -> bool:
    return is_organizer(user, circle)


def can_manage_members(user, circle: Circle) -> bool:
    return is_organizer(user, circle)


def can_create_circle(user) -> bool:
    """Any signed-in person with a verified email address may start a circle."""
    from allauth.account.models import EmailAddress

    return user.is_authenticated and EmailAddress.objects.filter(user=user, verified=True).exists()


def can_ask_to_join(user, circle: Circle) -> bool:
    """Signed-in people who are not in the circle (and not banned from it) may ask to join."""
    return user.is_authenticated and membership_of(user, circle) is None


# --- helpers for views ---------------------------------------------------------------------


def get_circle_for_viewer(request: HttpRequest, slug: str) -> Circle:
    """The circle, if this person may see it; 404 otherwise (private circles stay hidden)."""
    circle = get_object_or_404(Circle, slug=slug)
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
    circle = get_circle_for_viewer(request, slug)
    return get_object_or_404(Meeting.objects.for_display(), circle=circle, pk=pk)


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
    if not can_manage_sessions(request.user, meeting.circle):
        raise PermissionDenied("Only the circle's organizers can do that.")
    return meeting


def get_public_circle(slug: str) -> Circle:
    """Circle calendar feeds exist for public circles only; private ones are 404 to everyone."""
    circle = get_object_or_404(Circle, slug=slug)
    if not circle.is_public:
        raise Http404("No calendar here.")
    return circle


def get_notification_for_recipient(request: HttpRequest, pk: int) -> Notification:
    """One of the requester's own notifications (from a circle they are still in); anyone
    else's is 404."""
    return get_object_or_404(Notification.objects.for_user(request.user).for_display(), pk=pk)


# --- comments in the margin ----------------------------------------------------------------


def can_comment(user, circle: Circle) -> bool:
    """Active members write in the margin; banned members and visitors only read."""
    return is_member(user, circle)


def can_see_comment(user, comment) -> bool:
    """A private note is its author's alone; the rest follows the circle."""
    if comment.is_private:
        return user.is_authenticated and comment.author_id == user.pk
    return can_view_circle(user, comment.circle)


def can_reply(user, comment) -> bool:
    """Replies go to comments everyone can read: not to hidden or deleted ones."""
    return (
        comment.state == CommentState.VISIBLE
        and can_comment(user, comment.circle)
        and can_see_comment(user, comment)
    )


def can_edit_comment(user, comment) -> bool:
    """Authors edit and delete their own words while they are members; nobody else does."""
    return (
        user.is_authenticated
        and comment.author_id == user.pk
        and comment.state == "visible"
        and can_comment(user, comment.circle)
    )


def can_see_revisions(user, circle: Circle) -> bool:
    """Earlier versions of edited comments: moderators and organizers."""
    return is_moderator(user, circle)


def can_reattach(user, circle: Circle) -> bool:
    """Moderators (and organizers) re-attach threads whose text changed."""
    return is_moderator(user, circle)


def get_circle_for_commenter(request: HttpRequest, slug: str) -> Circle:
    """404 for those who may not see the circle, 403 for readers who may not write in it."""
    circle = get_circle_for_viewer(request, slug)
    if not can_comment(request.user, circle):
        raise PermissionDenied("Only active members of this circle can write in its margins.")
    return circle


def get_comment_for_viewer(request: HttpRequest, slug: str, pk: int):
    """A comment of a circle this person may see; others' private notes are 404 too."""
    return get_comment_in_circle(request, get_circle_for_viewer(request, slug), pk)


def get_comment_in_circle(request: HttpRequest, circle: Circle, pk: int):
    """`get_comment_for_viewer` in a circle already got through one of the helpers above."""
    from .models import Comment

    comment = get_object_or_404(
        Comment.objects.select_related("author", "reading", "passage"), circle=circle, pk=pk
    )
    comment.circle = circle
    if not can_see_comment(request.user, comment):
        raise Http404("No comment here.")
    return comment


def get_comment_for_author(request: HttpRequest, slug: str, pk: int):
    """404 as above; 403 unless it is the requester's own comment and they may still write."""
    comment = get_comment_for_viewer(request, slug, pk)
    if not can_edit_comment(request.user, comment):
        raise PermissionDenied("Only its author can change a comment.")
    return comment


def get_comment_for_moderator(request: HttpRequest, slug: str, pk: int):
    comment = get_comment_for_viewer(request, slug, pk)
    if not is_moderator(request.user, comment.circle):
        raise PermissionDenied("Only the circle's moderators can do that.")
    return comment


# --- flags and moderation ------------------------------------------------------------------


def can_flag(user, comment) -> bool:
    """Active members flag other people's shared, visible comments (once each: the service
    refuses a second flag). Banned members and visitors do not flag."""
    return (
        user.is_authenticated
        and comment.author_id != user.pk
        and comment.state == "visible"
        and not comment.is_private
        and can_comment(user, comment.circle)
    )


def can_moderate(user, circle: Circle) -> bool:
    """Hide, restore, resolve flags, ban: the circle's moderators and organizers."""
    return is_moderator(user, circle)


def can_see_hidden_comment(user, comment) -> bool:
    """A hidden comment reads in full to its author and to the circle's moderators; everyone
    else sees that a moderator hid it."""
    if not user.is_authenticated:
        return False
    return comment.author_id == user.pk or is_moderator(user, comment.circle)


def can_ban(user, circle: Circle, target) -> bool:
    """Moderators ban members and moderators; only organizers ban organizers. Nobody bans
    themselves (the last organizer is protected by `ban_member` too)."""
    if not can_moderate(user, circle) or target.pk == user.pk:
        return False
    membership = membership_of(target, circle)
    if membership is not None and membership.is_organizer:
        return is_organizer(user, circle)
    return True


def get_circle_for_moderator(request: HttpRequest, slug: str) -> Circle:
    """404 for those who may not see the circle, 403 for those who see it but do not moderate."""
    circle = get_circle_for_viewer(request, slug)
    if not can_moderate(request.user, circle):
        raise PermissionDenied("Only the circle's moderators and organizers can do that.")
    return circle


def get_comment_for_flagging(request: HttpRequest, slug: str, pk: int):
    """404 as for reading; 403 for those who may not flag it (their own, banned, visitors)."""
    comment = get_comment_for_viewer(request, slug, pk)
    if not can_flag(request.user, comment):
        raise PermissionDenied("You cannot flag this comment.")
    return comment


def bannable_members(user, circle: Circle) -> list:
    """The people `user` may ban from `circle` (see `can_ban`), organizers first: one query."""
    if not can_moderate(user, circle):
        return []
    memberships = circle.memberships.active().by_role().exclude(user=user)
    if not is_organizer(user, circle):
        memberships = memberships.exclude(role=Role.ORGANIZER)
    return [membership.user for membership in memberships]
