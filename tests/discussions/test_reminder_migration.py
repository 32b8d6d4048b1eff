"""Migrating reminders already sent: each takes its session's start, so nobody is reminded
again for a time they were reminded of."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import make_reading, make_user

BEFORE = [("discussions", "0007_comment_anchor_original_exact")]
AFTER = [("discussions", "0009_reminder_once_per_time")]


@pytest.mark.django_db(transaction=True)
def test_reminders_already_sent_keep_their_sessions_start():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    # Only the discussions app goes back: the people and readings are today's models.
    user = make_user("mina@example.org")
    chapter = make_reading(chapters=1).chapters.get()
    apps = executor.loader.project_state(BEFORE).apps
    Circle = apps.get_model("discussions", "Circle")
    Meeting = apps.get_model("discussions", "Meeting")
    ReminderSent = apps.get_model("discussions", "ReminderSent")
    circle = Circle.objects.create(name="Old Circle", slug="old-circle")
    starts_at = datetime(2027, 3, 4, 19, tzinfo=UTC)
    meeting = Meeting.objects.create(
        circle=circle, title="Old", reading_id=chapter.reading_id, first_chapter_id=chapter.pk,
        last_chapter_id=chapter.pk, starts_at=starts_at, ends_at=starts_at,
    )  # fmt: skip
    ReminderSent.objects.create(meeting=meeting, user_id=user.pk)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    reminder = apps.get_model("discussions", "ReminderSent").objects.get()
    assert reminder.starts_at == starts_at

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
