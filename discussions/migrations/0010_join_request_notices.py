"""Notification and email kinds for join requests: organizers hear of a new request, the person
who asked hears the answer."""

from __future__ import annotations

from django.db import migrations, models

NOTIFICATION_KINDS = [
    ("reply", "Someone replies to my comment"),
    ("thread", "Someone comments in a thread I took part in"),
    ("mention", "Someone mentions me"),
    ("session_scheduled", "A session is scheduled in my circles"),
    ("session_changed", "A session in my circles changes"),
    ("session_cancelled", "A session in my circles is cancelled"),
    ("comment_hidden", "A moderator hides my comment"),
    ("comment_restored", "My hidden comment is shown again"),
    ("join_requested", "Someone asks to join a circle I organize"),
    ("join_approved", "My request to join a circle is approved"),
    ("join_declined", "My request to join a circle is declined"),
]
EMAIL_KINDS = [
    *NOTIFICATION_KINDS[:6],
    ("session_reminder", "A reminder the day before a session"),
    *NOTIFICATION_KINDS[6:],
]


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0009_reminder_once_per_time"),
    ]

    operations = [
        migrations.AlterField(
            model_name="emailpreference",
            name="kind",
            field=models.CharField(choices=EMAIL_KINDS, max_length=40),
        ),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(choices=NOTIFICATION_KINDS, max_length=20),
        ),
    ]
