"""The demo readings: the two seed essays, imported exactly as an upload would be."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import Reading
from .services import save_parsed_reading
from .uploads import parse_upload

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"


@dataclass(frozen=True)
class DemoReading:
    filename: str
    slug: str
    title: str
    author: str
    source_note: str


DEMO_READINGS = [
    DemoReading(
        filename="000_a9b1cfdacfef8aef.txt",
        slug="all-tomorrows-parties",
        title="All Tomorrow’s Parties: A Reply to Critics",
        # The file ends "Author of the article / … is an editor of Viewpoint." with the name
        # lost: credit what it does say rather than guess a name.
        author="An editor of Viewpoint Magazine",
        source_note="Viewpoint Magazine, 2012 (the author’s name is missing from this copy)",
    ),
    DemoReading(
        filename="003_822ff67cca5cf967.txt",
        slug="toward-building-tomorrow",
        title="Toward Building Tomorrow: Expertise and Dual Power",
        author="C.D. Varn",
        source_note="",
    ),
]


def ensure_demo_readings() -> list[Reading]:
    """Import the demo readings that are missing (keyed on slug); running twice changes nothing.
    A demo reading imported before it had an author gets it (an author someone typed stays)."""
    readings = []
    existing = Reading.objects.in_bulk([demo.slug for demo in DEMO_READINGS], field_name="slug")
    for demo in DEMO_READINGS:
        if demo.slug in existing:
            reading = existing[demo.slug]
            if not reading.author and demo.author:
                reading.author = demo.author
                reading.save(update_fields=["author"])
            readings.append(reading)
            continue
        path = DEMO_DATA / demo.filename
        parsed = parse_upload(path.read_bytes(), filename=demo.filename)
        with transaction.atomic():
            readings.append(
                save_parsed_reading(
                    parsed,
                    title=demo.title,
                    author=demo.author,
                    slug=demo.slug,
                    source_note=demo.source_note,
                )
            )
    return readings
