"""The discussions app's models, one module per area."""

from __future__ import annotations

from .circles import (
    Circle,
    Invite,
    InviteUnusable,
    JoinRequest,
    JoinRequestState,
    Membership,
    MembershipState,
    Role,
    Visibility,
)
from .comments import AnchorStatus, ChapterDiscussion, Comment, CommentRevision, CommentState
from .meetings import RSVP, Meeting, MeetingStatus, ReminderSent, RSVPAnswer
from .moderation import (
    Flag,
    FlagReason,
    FlagResolution,
    ImmutableEvent,
    ModerationAction,
    ModerationEvent,
)
from .notifications import (
    DIGESTIBLE_KINDS,
    EmailKind,
    EmailPreference,
    EmailState,
    Frequency,
    Notification,
    NotificationKind,
)

__all__ = [
    "DIGESTIBLE_KINDS",
    "RSVP",
    "AnchorStatus",
    "ChapterDiscussion",
    "Comment",
    "CommentRevision",
    "CommentState",
    "Circle",
    "EmailKind",
    "EmailPreference",
    "EmailState",
    "Flag",
    "FlagReason",
    "FlagResolution",
    "Frequency",
    "ImmutableEvent",
    "Invite",
    "InviteUnusable",
    "JoinRequest",
    "JoinRequestState",
    "Meeting",
    "MeetingStatus",
    "Membership",
    "MembershipState",
    "ModerationAction",
    "ModerationEvent",
    "Notification",
    "NotificationKind",
    "RSVPAnswer",
    "ReminderSent",
    "Role",
    "Visibility",
]
