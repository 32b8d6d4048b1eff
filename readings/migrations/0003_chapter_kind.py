"""Chapters know whether they are front matter, main text or back matter; existing readings
are classified by their chapter titles, as the importers now do."""

from __future__ import annotations

import re

from django.db import migrations, models

# `readings.importers.matter` as it was when this migration was written, in short.
_WHOSE = r"(?:(?:the\s+)?(?:translator|editor|author|publisher|printer|transcriber)s?['’]?s?\s+)"
_FRONT = re.compile(
    rf"^(?:{_WHOSE}?(?:preface|prefatory\s+note|foreword|introduction|introductory\s+\w+)"
    r"(?:\s+(?:to|by|of|for|on|from)\b.*)?"
    r"|(?:table\s+of\s+)?contents|title(?:\s+page)?|half[\s-]title|dedication|epigraph"
    r"|acknowledge?ments?|frontispiece|copyright(?:\s+page)?|imprint|abbreviations"
    r"|chronology|list\s+of\s+\w+|illustrations|to\s+the\s+reader|advertisement"
    rf"|{_WHOSE}?note(?:s)?(?:\s+on\s+the\s+\w+)?|about\s+this\s+(?:edition|book|ebook)"
    r"|front\s*matter)$",
    re.IGNORECASE,
)
_BACK = re.compile(
    r"^(?:(?:end|foot|explanatory|editorial|textual|author['’]?s|translator['’]?s)?\s*notes?"
    r"(?:\s+(?:to|on)\b.*)?|appendix(?:\s+\S+)?(?:\s*[:.—–-].*)?|appendices|glossary"
    r"|bibliography|references|sources|further\s+reading|index(?:es)?|afterword"
    r"|colophon|about\s+the\s+authors?|licen[cs]e|errata|typographical\s+errors.*"
    rf"|{_WHOSE}?notes?|back\s*matter|the\s+end)$",
    re.IGNORECASE,
)


def classify(titles: list[str]) -> list[str]:
    plain = [" ".join(t.split()).strip(" .:;") for t in titles]
    kinds = [""] * len(titles)
    start = 0
    while start < len(plain) and _FRONT.match(plain[start]):
        kinds[start] = "front"
        start += 1
    end = len(plain)
    while end > start and _BACK.match(plain[end - 1]):
        kinds[end - 1] = "back"
        end -= 1
    if start == end:
        return ["main"] * len(titles)
    return [kind or "main" for kind in kinds]


def forward(apps, schema_editor) -> None:
    Chapter = apps.get_model("readings", "Chapter")
    chapters = list(Chapter.objects.only("pk", "reading_id", "number", "title"))
    chapters.sort(key=lambda c: (c.reading_id, c.number))
    by_reading: dict[int, list] = {}
    for chapter in chapters:
        by_reading.setdefault(chapter.reading_id, []).append(chapter)
    changed = []
    for group in by_reading.values():
        for chapter, kind in zip(group, classify([c.title for c in group]), strict=True):
            if kind != "main":
                chapter.kind = kind
                changed.append(chapter)
    Chapter.objects.bulk_update(changed, ["kind"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("readings", "0002_reading_search_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="chapter",
            name="kind",
            field=models.CharField(
                choices=[("front", "Front matter"), ("main", "Main text"), ("back", "Back matter")],
                default="main",
                help_text="Front matter (preface, introduction ...), main text, or back matter "
                "(notes, appendix, index ...).",
                max_length=8,
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
