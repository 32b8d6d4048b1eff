"""Who is notified of a new comment: one notice per person, the strongest kind winning, only
active members of the circle, never the author, never for private notes."""

from __future__ import annotations

import pytest

from circles.models import Membership, MembershipState
from discussions.services import reply
from notifications.models import Notification
from tests.factories import make_user
from tests.notifications.conftest import received

# Notifications are made once a write commits: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reply_notifies_the_parent_author(margin, member, moderator):
    root = margin.comment(member)
    answer = reply(root, author=moderator, body="I see it differently.").comment
    [notice] = Notification.objects.filter(recipient=member)
    assert (notice.kind, notice.comment, notice.actor) == ("reply", answer, moderator)
    assert notice.circle == margin.circle
    assert received(moderator) == []  # the author is never told of their own words


def test_others_in_the_thread_get_a_thread_notice(margin, member, moderator, organizer):
    root = margin.comment(member)
    first = reply(root, author=moderator, body="One.").comment
    reply(first, author=organizer, body="Two.")
    # Max wrote the parent: a reply. Mina started the thread: a thread notice.
    assert received(moderator) == ["reply"]
    assert received(member) == ["reply", "thread"]


def test_a_mention_notifies_the_member_named(margin, member, organizer):
    margin.comment(organizer, "What do you think, @Mina?")
    assert received(member) == ["mention"]


def test_a_mention_in_a_reply_outranks_the_reply(margin, member, moderator):
    root = margin.comment(member)
    reply(root, author=moderator, body="@Mina, I disagree.")
    assert received(member) == ["mention"]  # one notice, not two


def test_mentioning_yourself_notifies_nobody(margin, member):
    margin.comment(member, "Note to @Mina: reread this.")
    assert received(member) == []


def test_a_private_note_notifies_nobody(margin, member, organizer):
    note = margin.comment(organizer, "Ask @Mina about this.", is_private=True)
    reply(note, author=organizer, body="And @Max.")
    assert Notification.objects.count() == 0


def test_a_member_who_left_gets_nothing(margin, member, moderator):
    root = margin.comment(member)
    margin.circle.leave(member)
    reply(root, author=moderator, body="Where did you go, @Mina?")
    assert received(member) == []


def test_a_banned_member_gets_nothing_even_in_a_public_circle(margin, moderator):
    root = margin.comment(moderator)
    Membership.objects.filter(circle=margin.circle, user=moderator).update(
        state=MembershipState.BANNED
    )
    reply(root, author=margin.circle.created_by, body="Replying to @Max.")
    assert received(moderator) == []


def test_a_deactivated_account_gets_nothing(margin, member, moderator):
    root = margin.comment(member)
    member.is_active = False
    member.save()
    reply(root, author=moderator, body="Hello?")
    assert received(member) == []


def test_an_outsider_named_in_a_private_circle_gets_nothing(private_margin, organizer):
    make_user("oscar@example.org", display_name="Oscar")  # not in the circle
    private_margin.comment(organizer, "Shall we invite @Oscar?")
    assert Notification.objects.count() == 0


def test_in_a_private_circle_only_current_members_hear(
    private_margin, organizer, member, moderator
):
    root = private_margin.comment(member)
    reply(root, author=moderator, body="One.")
    private_margin.circle.leave(member)
    reply(root, author=organizer, body="@Mina, @Max: two.")
    assert received(member) == ["reply"]  # from before she left
    assert received(moderator) == ["mention"]
    recipients = set(Notification.objects.values_list("recipient__email", flat=True))
    members = set(
        Membership.objects.active()
        .filter(circle=private_margin.circle)
        .values_list("user__email", flat=True)
    )
    assert recipients <= members | {member.email}


def test_a_resent_form_does_not_notify_twice(margin, member, moderator):
    root = margin.comment(member)
    key = "8d6d7a4c-2f15-4f4e-9d7b-5b7f3d2a1c00"
    reply(root, author=moderator, body="Once.", idempotency_key=key)
    reply(root, author=moderator, body="Once.", idempotency_key=key)
    assert received(member) == ["reply"]


def test_notices_leave_the_list_when_the_person_leaves_the_circle(margin, member, moderator):
    root = margin.comment(member)
    reply(root, author=moderator, body="Hi.")
    assert Notification.objects.for_user(member).count() == 1
    margin.circle.leave(member)
    assert Notification.objects.for_user(member).count() == 0
