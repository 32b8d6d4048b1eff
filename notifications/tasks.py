"""Background tasks of the notifications app (django.tasks; run by `manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task


@task()
def send_notification_emails_task(notification_ids: list[int]) -> int:
    """Email these notifications to the people who want them right away (once each)."""
    from .delivery import send_now

    return send_now(notification_ids)
