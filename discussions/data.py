"""What the margins hold about a person, for "Download my data" and account deletion
(registered with `accounts.data` in `DiscussionsConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from accounts.data import iso
from accounts.models import User

from .annotations import Links, annotation
from .models import ChapterDiscussion, Comment, CommentRevision, RaiseMark


def export(user: User) -> dict[str, Any]:
    comments = list(
        Comment.objects.filter(author=user)
        .select_related("circle", "reading", "chapter", "author")
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=CommentRevision.objects.select_related("changed_by").order_by(
                    "created_at", "pk"
                ),
            )
        )
        .order_by("created_at", "pk")
    )
    readings = sorted({comment.reading for comment in comments}, key=lambda r: r.title)
    return {
        "comments": [_comment(comment) for comment in comments],
        # The same comments as W3C Web Annotations, for annotation tools.
        "annotations": [annotation(comment, Links()) for comment in comments],
        "readings": [{"title": r.title, "author": r.author, "slug": r.slug} for r in readings],
        # The threads they asked to raise at a session.
        "raised_at_sessions": [
            {
                "thread": mark.thread_id,
                "circle": mark.thread.circle.name,
                "at": iso(mark.created_at),
            }
            for mark in RaiseMark.objects.filter(user=user)
            .select_related("thread__circle")
            .order_by("created_at", "pk")
        ],
    }


def _comment(comment: Comment) -> dict[str, Any]:
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
        "created_at": iso(comment.created_at),
        "edited_at": iso(comment.edited_at),
        "anchor": _anchor(comment) if comment.parent_id is None else None,
        # Its history as its author reads it on the history page, oldest change first.
        "history": [_revision(revision) for revision in comment.revisions.all()],
    }


def _revision(revision: CommentRevision) -> dict[str, Any]:
    """One change to the person's comment: what, by whom (as the history page says it: the
    role, and the name of a moderator or staff member), why, and the comment just before."""
    return {
        "change": revision.kind,
        "by": revision.role,
        "summary": revision.summary,
        "reason": revision.reason,
        "at": iso(revision.created_at),
        "body_before": revision.body,
        "state_before": revision.state,
    }


def _anchor(comment: Comment) -> dict[str, Any]:
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


def erase(user: User) -> None:
    """Private notes go (nobody else can read them); the chapters where the person wrote are
    rendered afresh, since cached chapters hold authors' names."""
    places = set(
        Comment.objects.filter(author=user, is_private=False).values_list("circle_id", "chapter_id")
    )
    Comment.objects.filter(author=user, is_private=True).delete()
    for circle_id, chapter_id in places:
        ChapterDiscussion.bump(circle_id, chapter_id)
