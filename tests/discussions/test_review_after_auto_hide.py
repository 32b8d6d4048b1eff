"""A comment hidden by members' flags reads "pending review" until a moderator decides; a
moderator who resolves its flags as "hidden" gives the reason its author then reads, and the
author is told."""

from __future__ import annotations

import pytest
from django.urls import reverse

from discussions.models import CommentState, FlagReason, FlagResolution
from discussions.moderation import flag_comment, resolve_flags
from notifications.models import Notification
from tests.factories import Margin

# Notifications are made once a write commits: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)


PENDING = "Hidden pending review after flags"


@pytest.fixture
def auto_hidden(margin: Margin, member, readers):
    """Mina's comment, hidden by three readers' flags."""
    comment = margin.comment(member, "Everyone who disagrees is a fool")
    for reader in readers:
        flag_comment(comment, reader, FlagReason.ABUSE)
    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    return comment


def _panel(client, margin: Margin, user) -> str:
    client.force_login(user)
    return client.get(margin.passage_url()).content.decode()


def test_its_author_and_moderators_read_pending_review_not_a_moderators_hide(
    client, margin: Margin, auto_hidden, member, moderator
):
    for viewer in (member, moderator):
        html = _panel(client, margin, viewer)
        assert "Everyone who disagrees is a fool" in html
        assert PENDING in html
        assert "Hidden by a moderator:" not in html


def test_resolving_as_hidden_gives_the_author_the_moderators_reason(
    client, margin: Margin, auto_hidden, member, moderator
):
    resolve_flags(auto_hidden, moderator, FlagResolution.HIDDEN, "Name-calling")

    auto_hidden.refresh_from_db()
    assert (auto_hidden.state, auto_hidden.hidden_reason) == (CommentState.HIDDEN, "Name-calling")
    html = _panel(client, margin, member)
    assert "Hidden by a moderator: Name-calling" in html
    assert PENDING not in html


def test_resolving_as_hidden_tells_the_author(
    client, margin: Margin, auto_hidden, member, moderator
):
    resolve_flags(auto_hidden, moderator, FlagResolution.HIDDEN, "Name-calling")

    told = Notification.objects.filter(recipient=member, kind="comment_hidden").order_by("pk")
    assert [n.actor for n in told] == [None, moderator]  # the auto-hide, then the moderator
    client.force_login(member)
    page = client.get(reverse("notifications:notification-list")).content.decode()
    assert "A moderator hid your comment" in page
    assert "Reason given: Name-calling" in page


def test_without_a_reason_it_no_longer_reads_pending_review(
    client, margin: Margin, auto_hidden, member, moderator
):
    resolve_flags(auto_hidden, moderator, FlagResolution.HIDDEN)

    html = _panel(client, margin, member)
    assert "Hidden by a moderator: reviewed after members’ flags" in html
    assert PENDING not in html


def test_keeping_it_afterwards_does_not_show_it_again(
    margin: Margin, auto_hidden, moderator, organizer, outsider
):
    """Once a moderator hid it for good, it is no longer "hidden by flags"."""
    resolve_flags(auto_hidden, moderator, FlagResolution.HIDDEN, "Name-calling")
    margin.circle.add_member(outsider)
    flag_comment(auto_hidden, outsider, FlagReason.OTHER)

    resolve_flags(auto_hidden, organizer, FlagResolution.KEPT)

    auto_hidden.refresh_from_db()
    assert (auto_hidden.state, auto_hidden.hidden_reason) == (CommentState.HIDDEN, "Name-calling")
