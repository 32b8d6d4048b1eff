"""Deleting an account deletes the person's notifications; those they caused stay with their
recipients, from "a former member"."""

from __future__ import annotations

import pytest

from accounts.data import delete_account
from discussions.services import reply
from notifications.models import Notification

# Notifications are made once a write commits: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)


def test_deleting_the_account_deletes_its_notifications(margin, member, moderator):
    root = margin.comment(member)
    answer = reply(root, author=moderator, body="Hi.").comment
    reply(answer, author=member, body="Hello back.")  # Max is told, by Mina
    delete_account(member)
    assert not Notification.objects.filter(recipient_id=member.pk).exists()
    told = Notification.objects.get(recipient=moderator)
    assert told.actor is None and told.headline == "A former member replied to your comment"
