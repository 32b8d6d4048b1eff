"""Background tasks of the discussions app (django.tasks; run by `manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task


@task()
def send_session_emails_task(
    meeting_ids: list[int], kind: str, exclude_user_id: int | None = None
) -> int:
    """Email the circle's members that sessions were scheduled, changed or cancelled."""
    from .emails import send_session_emails

    return send_session_emails(meeting_ids, kind, exclude_user_id=exclude_user_id)
