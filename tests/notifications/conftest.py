"""A public and a private margin for the notification tests, and a way to read who got what."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from notifications.models import Notification
from tests.discussions.margin_helpers import make_margin


@pytest.fixture
def margin(db, organizer, moderator, member):
    return make_margin(organizer, moderator, member)


@pytest.fixture
def private_margin(db, organizer, moderator, member):
    return make_margin(organizer, moderator, member, private=True)


def received(user) -> list[str]:
    """The kinds of `user`'s notifications, oldest first."""
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True)
    )


def run_worker() -> None:
    """Run the queued tasks for real, as `manage.py db_worker` does (outside a test
    transaction: use `pytest.mark.django_db(transaction=True)`)."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
