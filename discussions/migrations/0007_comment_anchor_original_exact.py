"""The quote a thread was first written on, kept through re-anchoring.

Existing phrase anchors get their current quote: for threads that already drifted, the words
they were first written on were not kept, and the current ones are the best record left.
Whole-passage threads (no offsets) have no quote as written.
"""

from django.db import migrations, models
from django.db.migrations import RunPython
from django.db.models import F


def forward(apps, schema_editor):
    Comment = apps.get_model("discussions", "Comment")
    Comment.objects.filter(parent__isnull=True, anchor_start__isnull=False).update(
        anchor_original_exact=F("anchor_exact")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0006_comment_private_notes_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="anchor_original_exact",
            field=models.TextField(
                blank=True,
                help_text="The quote as the thread was first written on; kept when "
                "re-anchoring moves the thread onto changed words.",
            ),
        ),
        migrations.RunPython(forward, RunPython.noop),
    ]
