"""Background tasks of the readings app (django.tasks; run by `manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task


@task()
def replace_text_task(replacement_id: int) -> str:
    """Replace a reading's text from the file a queued `TextReplacement` holds."""
    from .replacement import run_replacement

    return run_replacement(replacement_id)
