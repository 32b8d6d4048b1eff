"""A comment's author hears when a moderator (or enough flags) hides it, and when it is shown
again; nobody else does, and a moderator acting on their own comment is not told."""

from __future__ import annotations

import pytest

from discussions.moderation import flag_comment, hide_comment, resolve_flags, restore_comment
from notifications.models import Notification
from tests.factories import make_user
from tests.notifications.conftest import received

# Notifications are made once a write commits: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)


def test_hide_and_restore_tell_the_author(margin, member, moderator):
    comment = margin.comment(member)
    hide_comment(comment, moderator, "Off topic")
    restore_comment(comment, moderator)
    assert received(member) == ["comment_hidden", "comment_restored"]
    hidden = Notification.objects.get(recipient=member, kind="comment_hidden")
    assert (hidden.actor, hidden.comment) == (moderator, comment)
    assert hidden.headline == "A moderator hid your comment"
    assert Notification.objects.exclude(recipient=member).count() == 0


def test_auto_hide_and_resolving_as_kept_tell_the_author(margin, member, organizer):
    margin.circle.flag_threshold = 2
    margin.circle.save()
    comment = margin.comment(member)
    for reporter in (make_user(), make_user()):
        margin.circle.add_member(reporter)
        flag_comment(comment, reporter, "spam")
    assert received(member) == ["comment_hidden"]
    auto = Notification.objects.get(recipient=member)
    assert auto.actor is None
    assert auto.headline == "Your comment was hidden pending review after flags"
    resolve_flags(comment, organizer, "kept")
    assert received(member) == ["comment_hidden", "comment_restored"]


def test_resolving_flags_as_hidden_tells_the_author(margin, member, moderator):
    comment = margin.comment(member)
    flag_comment(comment, moderator, "abuse")
    resolve_flags(comment, moderator, "hidden", "Personal attack")
    assert received(member) == ["comment_hidden"]


def test_resolving_as_kept_a_visible_comment_tells_nobody(margin, member, moderator):
    comment = margin.comment(member)
    flag_comment(comment, moderator, "other")
    resolve_flags(comment, moderator, "kept")
    assert received(member) == []


def test_a_moderator_hiding_their_own_comment_is_not_told(margin, moderator):
    comment = margin.comment(moderator)
    hide_comment(comment, moderator, "Posted by mistake")
    assert Notification.objects.count() == 0


def test_a_hide_by_a_moderator_who_later_left_still_reads_as_a_moderators(
    margin, member, moderator
):
    comment = margin.comment(member)
    hide_comment(comment, moderator, "Rude")
    moderator.delete()
    notice = Notification.objects.get(recipient=member)
    assert notice.actor is None
    assert notice.headline == "A moderator hid your comment"
