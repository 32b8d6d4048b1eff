"""What circles hold about a person, for "Download my data" and account deletion (registered
with `accounts.data` in `CirclesConfig.ready`)."""

from __future__ import annotations

from typing import Any

from accounts.data import iso
from accounts.models import User

from .models import RSVP, Membership, MembershipState, Role


def export(user: User) -> dict[str, Any]:
    return {
        "memberships": [
            {
                "circle": m.circle.name,
                "circle_slug": m.circle.slug,
                "role": m.role,
                "state": m.state,
                "shares_place": m.shares_place,
                "joined_at": iso(m.joined_at),
            }
            for m in Membership.objects.filter(user=user).select_related("circle")
        ],
        "rsvps": [
            {
                "session": r.meeting.title,
                "circle": r.meeting.circle.name,
                "starts_at": iso(r.meeting.starts_at),
                "answer": r.answer,
                "updated_at": iso(r.updated_at),
            }
            for r in RSVP.objects.filter(user=user)
            .select_related("meeting__circle")
            .order_by("meeting__starts_at")
        ],
    }


def circles_needing_handover(user: User) -> list[str]:
    """Names of the circles where `user` is the only active organizer."""
    organizers = Membership.objects.filter(state=MembershipState.ACTIVE, role=Role.ORGANIZER)
    mine = organizers.filter(user=user)
    others = organizers.filter(circle__in=mine.values("circle")).exclude(user=user)
    return list(
        mine.exclude(circle__in=others.values("circle"))
        .order_by("circle__name")
        .values_list("circle__name", flat=True)
    )


def handover_first(user: User) -> str:
    """The circles the person must hand over before leaving for good."""
    circles = circles_needing_handover(user)
    if not circles:
        return ""
    names = ", ".join(f"“{name}”" for name in circles)
    each = "each" if len(circles) > 1 else "it"
    return (
        f"You are the only organizer of {names}. Make another member an organizer of {each} "
        "before you delete your account."
    )
