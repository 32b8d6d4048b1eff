"""A way to read who got what, and to run the queued tasks, for the notification tests."""

from __future__ import annotations

from django.core.management import call_command

from notifications.models import Notification


def received(user) -> list[str]:
    """The kinds of `user`'s notifications, oldest first."""
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True)
    )


def run_worker() -> None:
    """Run the queued tasks for real, as `manage.py db_worker` does (outside a test
    transaction: use `pytest.mark.django_db(transaction=True)`)."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
