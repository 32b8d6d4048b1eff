"""Readings remember their title and author reduced for search (quotes, accents, punctuation)."""

from __future__ import annotations

import unicodedata

from django.db import migrations, models

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘ʼ`´"))


def search_key(value: str) -> str:
    """`readings.models.search_key` as it was when this migration was written."""
    value = unicodedata.normalize("NFKD", value.casefold()).translate(_APOSTROPHES)
    value = "".join(
        ch if ch.isalnum() else " " for ch in value if not unicodedata.combining(ch)
    )
    return " ".join(value.split())[:520]


def forward(apps, schema_editor) -> None:
    Reading = apps.get_model("readings", "Reading")
    readings = list(Reading.objects.only("pk", "title", "author"))
    for reading in readings:
        reading.search_text = search_key(f"{reading.title} {reading.author}")
    Reading.objects.bulk_update(readings, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("readings", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reading",
            name="search_text",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                help_text="Title and author, for search.",
                max_length=520,
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
