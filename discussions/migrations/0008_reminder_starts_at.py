"""A reminder records the start it was for: one reminder per session, person and start time,
so a session moved after its reminder is reminded again for its new time.

Reminders already sent are taken to be for the session's current start (the best record
left): nobody is reminded twice for a time they were already reminded of. The next migration
makes the start required (apart, so the filled rows are committed before the table changes on
PostgreSQL).
"""

from __future__ import annotations

from django.db import migrations, models
from django.db.migrations import RunPython
from django.db.models import OuterRef, Subquery


def forward(apps, schema_editor):
    ReminderSent = apps.get_model("discussions", "ReminderSent")
    Meeting = apps.get_model("discussions", "Meeting")
    ReminderSent.objects.update(
        starts_at=Subquery(Meeting.objects.filter(pk=OuterRef("meeting_id")).values("starts_at"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0007_comment_anchor_original_exact"),
    ]

    operations = [
        migrations.AddField(
            model_name="remindersent",
            name="starts_at",
            field=models.DateTimeField(
                null=True, help_text="The session's start this reminder was for."
            ),
        ),
        migrations.RunPython(forward, RunPython.noop),
    ]
