"""The one place that answers "may this person do this to this comment, in this circle's
margin?", and the lookups the margin's views share.

Views call the `get_*` helpers, which raise Http404 for anyone who may not know a private
circle (or someone's private note) exists and PermissionDenied (403) for people who can see
it but lack the right. Membership itself is `circles.permissions`'.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from circles.models import Circle, Role
from circles.permissions import (
    can_view_circle,
    get_circle_for_viewer,
    is_banned,
    is_member,
    is_moderator,
    is_organizer,
    membership_of,
)
from readings.models import Chapter, Passage, Reading

from .agenda import can_raise
from .models import ChapterDiscussion, Comment, CommentState


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


def can_see_history(user, comment) -> bool:
    """A comment's history (earlier versions, who changed it and why): its author, and the
    circle's moderators and organizers."""
    if not user.is_authenticated:
        return False
    return comment.author_id == user.pk or is_moderator(user, comment.circle)


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


def viewer_flags(user, circle: Circle) -> dict[str, bool]:
    """What this person may do in the circle's margin, for templates: write, moderate, or
    only read (as a visitor, or banned)."""
    return {
        "is_member": is_member(user, circle),
        "is_banned": is_banned(user, circle),
        "is_moderator": is_moderator(user, circle),
        "can_comment": can_comment(user, circle),
    }


# --- the circle reader's lookups -------------------------------------------------------------


def get_chapter_in_circle(user, circle: Circle, reading_slug: str, number: int) -> Chapter:
    """The chapter (reading joined) of a reading of the circle, with its discussion version
    and whether `user` has private notes in it: one query; 404 if the circle does not read it."""
    versions = ChapterDiscussion.objects.filter(circle=circle, chapter=OuterRef("pk"))
    chapters = Chapter.objects.select_related("reading").annotate(
        discussion_version=Subquery(versions.values("version")[:1])
    )
    if user.is_authenticated:
        notes = Comment.objects.filter(
            circle=circle, chapter=OuterRef("pk"), author=user, is_private=True
        )
        chapters = chapters.annotate(has_private_notes=Exists(notes))
    chapter = chapters.filter(
        reading__slug=reading_slug, number=number, reading__circles=circle
    ).first()
    if chapter is None:
        raise Http404("This circle is not reading that.")
    if not user.is_authenticated:
        chapter.has_private_notes = False
    return chapter


def get_reading_in_circle(circle: Circle, reading_slug: str) -> Reading:
    reading = circle.readings.filter(slug=reading_slug).first()
    if reading is None:
        raise Http404("This circle is not reading that.")
    return reading


def get_passage_in_circle(circle: Circle, reading_slug: str, key: str) -> Passage:
    """The passage `key` of a reading of the circle (reading and chapter joined); 404 if the
    circle does not read it."""
    passage = (
        Passage.objects.select_related("reading", "chapter")
        .filter(reading__slug=reading_slug, reading__circles=circle, key=key)
        .first()
    )
    if passage is None:
        raise Http404("No such passage in this circle's readings.")
    passage.chapter.reading = passage.reading
    return passage


def get_thread_in_circle(request: HttpRequest, circle: Circle, pk: int) -> Comment:
    """A thread's first comment in `circle` (got through one of the helpers above), with its
    reading and chapter; 404 as for any comment, and for a reply."""
    comment = get_comment_in_circle(request, circle, pk)
    if not comment.is_root:
        raise Http404("Not a thread.")
    return comment


# --- a session's agenda ----------------------------------------------------------------------


def get_thread_for_raising(request: HttpRequest, slug: str, pk: int) -> Comment:
    """A thread root the requester may mark "Raise at the session": 404 as for any comment
    (and for a reply), 403 for visitors, banned members, and threads not on a session to
    come or not open to all (private, hidden, deleted)."""
    thread = get_comment_for_viewer(request, slug, pk)
    if not thread.is_root:
        raise Http404("Not a thread.")
    if not can_raise(request.user, thread):
        raise PermissionDenied(
            "Only members mark shared threads on the chapters of a session to come."
        )
    return thread


def get_meeting_for_live(request: HttpRequest, slug: str, pk: int):
    """`circles.permissions.get_meeting_for_viewer` for the live margin's poll: the session
    with its chapters' discussion versions in the same query (`live.with_discussion_stamp`),
    so a poll answered 304 costs that query and, in a private circle, the membership's."""
    from circles.models import Meeting

    from .live import with_discussion_stamp

    meeting = get_object_or_404(
        with_discussion_stamp(Meeting.objects.for_display()), circle__slug=slug, pk=pk
    )
    if not can_view_circle(request.user, meeting.circle):
        raise Http404("No circle here.")
    return meeting
