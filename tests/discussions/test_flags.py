from __future__ import annotations

import pytest

from discussions.models import (
    ChapterDiscussion,
    CommentState,
    Flag,
    FlagReason,
    FlagResolution,
    ModerationAction,
    ModerationEvent,
)
from discussions.moderation import ModerationError, flag_comment, hide_comment, resolve_flags


def test_a_member_flags_a_comment_once(margin, member, organizer):
    comment = margin.comment(organizer, "Buy cheap watches")
    flag_comment(comment, member, FlagReason.SPAM, "  selling things ")

    with pytest.raises(ModerationError, match="already flagged"):
        flag_comment(comment, member, FlagReason.ABUSE)

    flag = Flag.objects.get()
    assert (flag.reporter, flag.reason, flag.note) == (member, "spam", "selling things")
    assert flag.resolution == FlagResolution.OPEN


def test_nobody_flags_their_own_comment(margin, member):
    comment = margin.comment(member)
    with pytest.raises(ModerationError, match="your own"):
        flag_comment(comment, member, FlagReason.OTHER)
    assert not Flag.objects.exists()


def test_flags_below_the_threshold_leave_the_comment_visible_and_log_nothing(
    margin, organizer, readers
):
    comment = margin.comment(organizer)
    for reader in readers[:2]:
        flag_comment(comment, reader, FlagReason.ABUSE)
    comment.refresh_from_db()
    assert comment.state == CommentState.VISIBLE
    assert not ModerationEvent.objects.exists()


def test_flags_from_threshold_distinct_members_hide_the_comment_pending_review(
    margin, organizer, readers
):
    comment = margin.comment(organizer)
    version = ChapterDiscussion.objects.get(circle=margin.circle, chapter=margin.chapter).version
    for reader in readers:
        flag_comment(comment, reader, FlagReason.ABUSE)

    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    assert comment.hidden_reason == "Hidden pending review after 3 flags"
    event = ModerationEvent.objects.get()
    assert event.action == ModerationAction.AUTO_HIDE
    assert event.actor is None and event.actor_name == "system"
    assert (event.circle, event.comment, event.target_user) == (margin.circle, comment, organizer)
    assert event.reason == "Hidden pending review after 3 flags"
    discussion = ChapterDiscussion.objects.get(circle=margin.circle, chapter=margin.chapter)
    assert discussion.version > version


def test_the_threshold_is_the_circles(margin, organizer, member):
    margin.circle.flag_threshold = 1
    margin.circle.save(update_fields=["flag_threshold"])
    comment = margin.comment(organizer)
    flag_comment(comment, member, FlagReason.SPAM)
    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    assert comment.hidden_reason == "Hidden pending review after 1 flags"


def test_keeping_an_auto_hidden_comment_shows_it_again_and_closes_its_flags(
    margin, organizer, moderator, readers
):
    comment = margin.comment(organizer)
    for reader in readers:
        flag_comment(comment, reader, FlagReason.ABUSE)

    event = resolve_flags(comment, moderator, FlagResolution.KEPT)

    comment.refresh_from_db()
    assert comment.state == CommentState.VISIBLE and comment.hidden_reason == ""
    assert set(Flag.objects.values_list("resolution", "resolved_by")) == {("kept", moderator.pk)}
    assert all(flag.resolved_at for flag in Flag.objects.all())
    assert (event.action, event.actor, event.comment) == ("resolve_flag", moderator, comment)
    assert event.reason == "3 flags reviewed: kept; shown again"
    assert ModerationEvent.objects.count() == 2  # auto_hide, resolve_flag


def test_keeping_flags_does_not_undo_a_moderators_hide(margin, organizer, moderator, member):
    comment = margin.comment(organizer)
    hide_comment(comment, moderator, "Rude")
    flag_comment(comment, member, FlagReason.ABUSE)  # a flag still open after the hide
    resolve_flags(comment, moderator, FlagResolution.KEPT)
    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN and comment.hidden_reason == "Rude"


def test_resolving_as_hidden_hides_the_comment(margin, organizer, moderator, member):
    comment = margin.comment(organizer)
    flag_comment(comment, member, FlagReason.ABUSE)
    resolve_flags(comment, moderator, FlagResolution.HIDDEN)
    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    assert Flag.objects.get().resolution == FlagResolution.HIDDEN


def test_resolving_without_open_flags_is_refused(margin, organizer, moderator):
    comment = margin.comment(organizer)
    with pytest.raises(ModerationError, match="no open flags"):
        resolve_flags(comment, moderator, FlagResolution.KEPT)
    assert not ModerationEvent.objects.exists()


def test_after_a_review_new_flags_count_afresh(margin, organizer, moderator, readers, member):
    comment = margin.comment(organizer)
    for reader in readers[:2]:
        flag_comment(comment, reader, FlagReason.ABUSE)
    resolve_flags(comment, moderator, FlagResolution.KEPT)
    flag_comment(comment, member, FlagReason.ABUSE)
    comment.refresh_from_db()
    assert comment.state == CommentState.VISIBLE
