"""The bell's count is cached per `User.notices_version`: every change to what it is made of
(the person's notifications, their memberships) bumps the version in its own transaction,
so the bell is never stale and a warm one asks nothing of the database."""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from circles.models import Role
from discussions.services import reply
from notifications import fanout
from notifications.models import Notification

# Notifications are made once a write commits: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)


class Rollback(Exception):
    pass


def version(user) -> int:
    return User.objects.values_list("notices_version", flat=True).get(pk=user.pk)


def bumps_in_same_transaction(user, write) -> None:
    """`write` bumps `user`'s version inside its transaction; undoing it undoes the bump."""
    before = version(user)
    with pytest.raises(Rollback), transaction.atomic():
        write()
        assert version(user) > before
        raise Rollback
    assert version(user) == before


def bell_count(client) -> int:
    html = client.get("/").content.decode()
    found = re.search(r'data-testid="bell-count">(\d+)<', html)
    return int(found.group(1)) if found else 0


def test_a_new_notification_bumps_the_version(margin, member, moderator):
    root = margin.comment(member)
    answer = reply(root, author=moderator, body="An answer.").comment
    bumps_in_same_transaction(member, lambda: fanout.comment_posted(answer))


def test_reading_and_deleting_notifications_bump_the_version(margin, member, moderator):
    reply(margin.comment(member), author=moderator, body="One.")
    reply(margin.comment(member), author=moderator, body="Two.")
    mine = Notification.objects.filter(recipient=member)
    assert mine.count() == 2
    bumps_in_same_transaction(member, lambda: mine.mark_read())
    bumps_in_same_transaction(member, lambda: mine.first().delete())
    bumps_in_same_transaction(member, lambda: mine.delete())
    # a read one counted for nothing: deleting it leaves the count (and version) as it was
    mine.mark_read()
    before = version(member)
    mine.first().delete()
    assert version(member) == before


def test_membership_changes_bump_the_version(circle, member):
    membership = circle.memberships.get(user=member)
    bumps_in_same_transaction(member, lambda: membership.change_role(Role.MODERATOR))
    bumps_in_same_transaction(member, lambda: circle.leave(member))
    memberships = circle.memberships.filter(user=member)
    bumps_in_same_transaction(member, lambda: memberships.update(role=Role.MODERATOR))
    bumps_in_same_transaction(member, lambda: memberships.delete())
    before = version(member)
    circle.leave(member)
    circle.add_member(member)
    assert version(member) > before + 1


def test_the_bell_shows_every_change_on_the_next_request(client, margin, member, moderator):
    client.force_login(member)
    assert bell_count(client) == 0
    root = margin.comment(member)
    reply(root, author=moderator, body="One.")
    assert bell_count(client) == 1
    reply(root, author=moderator, body="Two.")
    assert bell_count(client) == 2
    client.post(reverse("notifications:notification-read-all"))
    assert bell_count(client) == 0
    reply(root, author=moderator, body="Three.")
    assert bell_count(client) == 1
    margin.circle.leave(member)  # news of a circle left is not counted
    assert bell_count(client) == 0
    margin.circle.add_member(member)
    assert bell_count(client) == 1


def test_a_warm_bell_asks_nothing(client, margin, member, moderator):
    reply(margin.comment(member), author=moderator, body="One.")
    client.force_login(member)
    assert bell_count(client) == 1
    with CaptureQueriesContext(connection) as queries:
        assert bell_count(client) == 1
    assert not any("notification" in q["sql"] for q in queries.captured_queries)
