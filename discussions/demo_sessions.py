"""Demo sessions: a planned schedule for the demo circle, some past (with notes), some to come,
with RSVPs from the members. Running it again changes nothing."""

from __future__ import annotations

import zoneinfo
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from discussions.models import Circle, Meeting, RSVPAnswer
from discussions.planner import propose

ORGANIZER = "olive@demo.marginalia.test"
MEMBERS = ["mina@demo.marginalia.test", "noor@demo.marginalia.test", "pablo@demo.marginalia.test"]
ANSWERS = [RSVPAnswer.GOING, RSVPAnswer.GOING, RSVPAnswer.MAYBE, RSVPAnswer.NO]
PAST_NOTES = (
    "We read the opening closely and argued about **who the essay is written for**.\n\n"
    "- Next time: bring one passage you disagreed with.\n"
    "- Noor will start us off."
)


@transaction.atomic
def ensure_demo_sessions(circle: Circle, people: dict[str, User], readings) -> None:
    """Plan up to six weekly sessions over the first reading's chapters, starting three weeks
    ago at 19:00 in the circle's zone; notes on the past ones, RSVPs from the members."""
    readings = list(readings)
    if not readings:
        return
    reading = readings[0]
    circle.readings.add(reading)
    if not Meeting.objects.filter(circle=circle, reading=reading).exists():
        chapters = list(reading.chapters.order_by("number"))
        if not chapters:
            return
        today = timezone.now().astimezone(zoneinfo.ZoneInfo(circle.time_zone)).date()
        for row in propose(
            chapters,
            first=today - timedelta(weeks=3),
            at=time(19, 0),
            cadence="weekly",
            count=min(6, len(chapters)),
            time_zone=circle.time_zone,
        ):
            Meeting.objects.create(
                circle=circle,
                reading=reading,
                title=row.title,
                first_chapter=row.first_chapter,
                last_chapter=row.last_chapter,
                starts_at=row.starts_at,
                duration_minutes=90,
                place="The back room of the Lantern Café",
                video_url="https://meet.example.org/marginalia-demo",
                agenda="1. First impressions\n2. One passage each\n3. What to read next",
                created_by=people.get(ORGANIZER),
            )
    members = [people[email] for email in MEMBERS if email in people]
    now = timezone.now()
    for meeting in Meeting.objects.filter(circle=circle, reading=reading):
        if meeting.ends_at <= now and not meeting.notes:
            meeting.notes = PAST_NOTES
            meeting.save(update_fields=["notes"])
        for n, person in enumerate(members):
            circle.add_member(person)
            answer = ANSWERS[(n + meeting.pk) % len(ANSWERS)]
            meeting.rsvps.get_or_create(user=person, defaults={"answer": answer})
