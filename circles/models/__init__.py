"""The circles app's models: circles and who belongs to them, and their sessions (Meeting)."""

from __future__ import annotations

from .circle import (
    Circle,
    Invite,
    InviteUnusable,
    JoinRequest,
    JoinRequestState,
    LastOrganizer,
    Membership,
    MembershipState,
    Role,
    Visibility,
)
from .meetings import RSVP, Meeting, MeetingStatus, RSVPAnswer

__all__ = [
    "RSVP",
    "Circle",
    "Invite",
    "InviteUnusable",
    "JoinRequest",
    "JoinRequestState",
    "LastOrganizer",
    "Meeting",
    "MeetingStatus",
    "Membership",
    "MembershipState",
    "RSVPAnswer",
    "Role",
    "Visibility",
]
