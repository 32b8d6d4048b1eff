"""A person's own data: download it all, or delete the account.

`accounts` sits below the other apps and must not import them when it loads (discussions
imports accounts, not the other way round). So the models of `discussions` and `readings` are
looked up by name with `apps.get_model` inside the functions that need them; if one of those
apps is removed, these functions are the place to change.

Deleting an account works like a forum: comments stay in their threads with their bodies,
shown as by "former member" (`Comment.author` is SET_NULL). Everything else that is personal
goes: the User row, and with it (by cascade) memberships, RSVPs, reading progress, email
preferences, notifications, email addresses and MFA authenticators (notifications the person
caused stay with their recipients, from "a former member"); private notes (nobody else can read
them) are deleted; sessions are ended everywhere.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from .models import User

EXPORT_FILENAME = "marginalia-data.json"


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


# --- download --------------------------------------------------------------------------------


def export_user_data(user: User) -> dict[str, Any]:
    """Everything Marginalia holds about `user`, as JSON-ready data."""
    from allauth.account.models import EmailAddress

    Membership = apps.get_model("discussions", "Membership")
    RSVP = apps.get_model("discussions", "RSVP")
    Comment = apps.get_model("discussions", "Comment")
    ReadingProgress = apps.get_model("readings", "ReadingProgress")

    comments = list(
        Comment.objects.filter(author=user)
        .select_related("circle", "reading", "chapter")
        .order_by("created_at", "pk")
    )
    readings = {comment.reading for comment in comments}
    progress = list(ReadingProgress.objects.filter(user=user).select_related("reading", "chapter"))
    readings.update(entry.reading for entry in progress)

    return {
        "exported_at": _iso(timezone.now()),
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("email")
            ],
        },
        "memberships": [
            {
                "circle": m.circle.name,
                "circle_slug": m.circle.slug,
                "role": m.role,
                "state": m.state,
                "joined_at": _iso(m.joined_at),
            }
            for m in Membership.objects.filter(user=user).select_related("circle")
        ],
        "rsvps": [
            {
                "session": r.meeting.title,
                "circle": r.meeting.circle.name,
                "starts_at": _iso(r.meeting.starts_at),
                "answer": r.answer,
                "updated_at": _iso(r.updated_at),
            }
            for r in RSVP.objects.filter(user=user)
            .select_related("meeting__circle")
            .order_by("meeting__starts_at")
        ],
        "comments": [_comment(comment) for comment in comments],
        "readings": sorted(
            ({"title": r.title, "author": r.author, "slug": r.slug} for r in readings),
            key=lambda reading: reading["title"],
        ),
        "reading_progress": [
            {
                "reading": entry.reading.title,
                "chapter": entry.chapter.number,
                "updated_at": _iso(entry.updated_at),
            }
            for entry in progress
        ],
    }


def _comment(comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "circle": comment.circle.name,
        "reading": comment.reading.title,
        "chapter": comment.chapter.number if comment.chapter_id else None,
        "passage": comment.passage_key,
        "in_reply_to": comment.parent_id,
        "body": comment.body,
        "state": comment.state,
        "private": comment.is_private,
        "created_at": _iso(comment.created_at),
        "edited_at": _iso(comment.edited_at),
        "anchor": _anchor(comment) if comment.parent_id is None else None,
    }


def _anchor(comment) -> dict[str, Any]:
    """The thread's anchor as W3C Web Annotation selectors, scoped to the passage."""
    selectors: list[dict[str, Any]] = []
    if comment.anchor_exact:
        selectors.append(
            {
                "type": "TextQuoteSelector",
                "exact": comment.anchor_exact,
                "prefix": comment.anchor_prefix,
                "suffix": comment.anchor_suffix,
            }
        )
    if comment.anchor_start is not None:
        selectors.append(
            {
                "type": "TextPositionSelector",
                "start": comment.anchor_start,
                "end": comment.anchor_end,
            }
        )
    return {"passage": comment.passage_key, "status": comment.anchor_status, "selector": selectors}


# --- deletion --------------------------------------------------------------------------------


def circles_needing_handover(user: User) -> list[str]:
    """Names of the circles where `user` is the only active organizer."""
    Membership = apps.get_model("discussions", "Membership")
    mine = Membership.objects.filter(user=user, state="active", role="organizer")
    others = (
        Membership.objects.filter(
            state="active", role="organizer", circle__in=mine.values("circle")
        )
        .exclude(user=user)
        .values("circle")
    )
    return list(
        mine.exclude(circle__in=others)
        .order_by("circle__name")
        .values_list("circle__name", flat=True)
    )


class HandOverFirst(Exception):
    """The person is the last organizer of some circles."""


@transaction.atomic
def delete_account(user: User) -> None:
    """Erase `user`, keeping their shared comments as "former member" (see module docstring).

    Refuses (HandOverFirst) while the person is some circle's only organizer.
    """
    circles = circles_needing_handover(user)
    if circles:
        raise HandOverFirst(
            "You are the only organizer of "
            + ", ".join(f"“{name}”" for name in circles)
            + ". Make another member an organizer first."
        )
    Comment = apps.get_model("discussions", "Comment")
    ChapterDiscussion = apps.get_model("discussions", "ChapterDiscussion")
    from allauth.usersessions.models import UserSession

    # The reader caches chapters with authors' names: have them rendered afresh.
    places = set(
        Comment.objects.filter(author=user, is_private=False).values_list("circle_id", "chapter_id")
    )
    Comment.objects.filter(author=user, is_private=True).delete()
    for session in UserSession.objects.filter(user=user):
        session.end()
    user.delete()
    for circle_id, chapter_id in places:
        ChapterDiscussion.bump(circle_id, chapter_id)
