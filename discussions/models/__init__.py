"""The discussions app's models: margin comments (and their revisions), and moderation."""

from __future__ import annotations

from .agenda import AgendaItem, RaiseMark
from .comments import (
    AnchorStatus,
    ChangedByRole,
    ChapterDiscussion,
    Comment,
    CommentRevision,
    CommentState,
    RevisionKind,
    UnrecordedChange,
)
from .moderation import (
    Flag,
    FlagReason,
    FlagResolution,
    ImmutableEvent,
    ModerationAction,
    ModerationEvent,
)

__all__ = [
    "AgendaItem",
    "RaiseMark",
    "AnchorStatus",
    "ChangedByRole",
    "ChapterDiscussion",
    "Comment",
    "CommentRevision",
    "CommentState",
    "Flag",
    "FlagReason",
    "FlagResolution",
    "ImmutableEvent",
    "ModerationAction",
    "ModerationEvent",
    "RevisionKind",
    "UnrecordedChange",
]
