from __future__ import annotations

import uuid

import pytest

from circles.models import LastOrganizer, Membership, MembershipState, Role
from discussions.models import Comment, CommentState, ImmutableEvent, ModerationEvent
from discussions.moderation import (
    ModerationError,
    ban_member,
    hide_comment,
    restore_comment,
    unban_member,
)
from discussions.permissions import can_comment
from tests.factories import Margin


def test_hiding_logs_one_event_with_its_fields(margin: Margin, member, moderator):
    comment = margin.comment(member, "Spoilers!")
    event = hide_comment(comment, moderator, "Spoils chapter 3")

    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    assert comment.hidden_reason == "Spoils chapter 3"
    assert comment.body == "Spoilers!"
    assert list(ModerationEvent.objects.all()) == [event]
    assert (event.action, event.actor, event.circle, event.comment, event.target_user) == (
        "hide",
        moderator,
        margin.circle,
        comment,
        member,
    )
    assert event.reason == "Spoils chapter 3"


def test_restoring_logs_one_event_and_shows_the_comment(margin: Margin, member, moderator):
    comment = margin.comment(member)
    hide_comment(comment, moderator, "Rude")
    event = restore_comment(comment, moderator, "On reflection, fine")

    comment.refresh_from_db()
    assert (comment.state, comment.hidden_reason) == (CommentState.VISIBLE, "")
    assert (event.action, event.comment, event.reason) == (
        "restore",
        comment,
        "On reflection, fine",
    )
    assert ModerationEvent.objects.count() == 2


def test_hiding_twice_or_restoring_a_visible_comment_is_refused(margin: Margin, member, moderator):
    comment = margin.comment(member)
    with pytest.raises(ModerationError):
        restore_comment(comment, moderator)
    hide_comment(comment, moderator, "Rude")
    with pytest.raises(ModerationError):
        hide_comment(comment, moderator, "Rude again")
    assert ModerationEvent.objects.count() == 1


def test_hiding_a_reply_takes_it_out_of_the_thread_count(margin: Margin, member, organizer):
    root = margin.comment(organizer)
    reply = margin.comment(member, parent=root)
    hide_comment(reply, organizer, "Off topic")
    assert Comment.objects.get(pk=root.pk).reply_count == 0
    restore_comment(reply, organizer)
    assert Comment.objects.get(pk=root.pk).reply_count == 1


def test_a_banned_member_can_no_longer_comment(margin: Margin, member, organizer):
    event = ban_member(margin.circle, member, organizer, "Repeated abuse")

    membership = Membership.objects.get(circle=margin.circle, user=member)
    assert membership.state == MembershipState.BANNED
    assert not can_comment(member, margin.circle)
    assert (event.action, event.actor, event.target_user, event.comment) == (
        "ban",
        organizer,
        member,
        None,
    )
    assert event.reason == "Repeated abuse"


def test_banning_an_outsider_keeps_them_out(margin: Margin, outsider, organizer):
    ban_member(margin.circle, outsider, organizer, "Spammer")
    membership = Membership.objects.get(circle=margin.circle, user=outsider)
    assert membership.state == MembershipState.BANNED


def test_a_banned_moderator_loses_the_role(margin: Margin, moderator, organizer):
    ban_member(margin.circle, moderator, organizer, "")
    unban_member(margin.circle, moderator, organizer)
    membership = Membership.objects.get(circle=margin.circle, user=moderator)
    assert (membership.state, membership.role) == (MembershipState.ACTIVE, Role.MEMBER)


def test_the_last_organizer_cannot_be_banned(margin: Margin, organizer, staff):
    with pytest.raises(LastOrganizer):
        ban_member(margin.circle, organizer, staff, "")
    assert not ModerationEvent.objects.exists()


def test_unbanning_logs_and_reactivates(margin: Margin, organizer):
    event = unban_member(margin.circle, margin.banned, organizer, "Apologised")
    assert Membership.objects.get(user=margin.banned).state == MembershipState.ACTIVE
    assert (event.action, event.target_user, event.reason) == ("unban", margin.banned, "Apologised")
    with pytest.raises(ModerationError, match="not banned"):
        unban_member(margin.circle, margin.banned, organizer)


def test_events_cannot_be_edited_or_deleted(margin: Margin, member, moderator):
    event = hide_comment(margin.comment(member), moderator, "Rude")

    event.reason = "Something nicer"
    with pytest.raises(ImmutableEvent, match="append-only"):
        event.save()
    with pytest.raises(ImmutableEvent, match="append-only"):
        event.delete()
    with pytest.raises(ImmutableEvent, match="append-only"):
        ModerationEvent.objects.all().delete()
    assert ModerationEvent.objects.get().reason == "Rude"


def test_an_erased_actor_leaves_the_event_in_place(margin: Margin, member, moderator):
    hide_comment(margin.comment(member), moderator, "Rude")
    moderator.delete()
    assert ModerationEvent.objects.get().actor_name == "system"


def test_a_restored_comment_is_not_hidden_again_by_the_next_single_flag(
    margin: Margin, organizer, moderator, member, readers
):
    from discussions.models import Flag, FlagReason, FlagResolution
    from discussions.moderation import flag_comment

    margin.circle.flag_threshold = 3
    margin.circle.save(update_fields=["flag_threshold"])
    comment = margin.comment(organizer, "Contested")
    for reader in readers[:3]:
        flag_comment(comment, reader, FlagReason.OFF_TOPIC)
    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN

    restore_comment(comment, moderator, "Fine on a second look")
    assert set(Flag.objects.filter(comment=comment).values_list("resolution", flat=True)) == {
        FlagResolution.KEPT
    }
    flag_comment(comment, member, FlagReason.OFF_TOPIC)
    comment.refresh_from_db()
    assert comment.state == CommentState.VISIBLE


def test_nobody_replies_to_a_hidden_comment(client, margin: Margin, member, organizer, moderator):
    hidden = margin.comment(organizer, "Rude")
    hide_comment(hidden, moderator, "Rude")
    client.force_login(member)
    response = client.post(
        margin.create_url(),
        {"body": "Still answering", "parent": hidden.pk, "idempotency_key": uuid.uuid4()},
    )
    assert response.status_code == 404
    assert not Comment.objects.filter(body="Still answering").exists()
