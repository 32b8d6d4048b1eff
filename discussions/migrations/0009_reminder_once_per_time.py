"""Every reminder has its start; one reminder per session, person and start time."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0008_reminder_starts_at"),
    ]

    operations = [
        migrations.AlterField(
            model_name="remindersent",
            name="starts_at",
            field=models.DateTimeField(help_text="The session's start this reminder was for."),
        ),
        migrations.RemoveConstraint(model_name="remindersent", name="reminder_once"),
        migrations.AddConstraint(
            model_name="remindersent",
            constraint=models.UniqueConstraint(
                fields=("meeting", "user", "starts_at"), name="reminder_once_per_time"
            ),
        ),
    ]
