"""The demo's circles: a public one reading the seed texts, with a planned schedule (some
sessions past, with notes, some to come) and RSVPs, and a private one with an invite link;
where its members are in the reading (`ensure_demo_places`): most are ahead of the past
sessions, Mina is behind them, and all but Mina share their place.

A drop-in session of the public circle is on now (`ensure_demo_live_meeting`), so its live
margin can be seen at once.

Running `ensure_demo_circles`, `ensure_demo_meetings`, `ensure_demo_live_meeting` and
`ensure_demo_places` again changes nothing.
"""

from __future__ import annotations

import zoneinfo
from datetime import time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from readings.models import Reading, ReadingProgress

from .models import Circle, Invite, Meeting, Membership, Role, RSVPAnswer, Visibility
from .planner import propose

OLIVE = "olive@demo.marginalia.test"
MAX = "max@demo.marginalia.test"
MINA = "mina@demo.marginalia.test"
NOOR = "noor@demo.marginalia.test"
PABLO = "pablo@demo.marginalia.test"

PUBLIC = {
    "slug": "tomorrows-readers",
    "name": "Tomorrow’s Readers",
    "description": (
        "We read short political essays together, a chapter or two a week, and meet online "
        "to talk them over. Newcomers are welcome: **join, read the next chapters, and write "
        "in the margins.**"
    ),
}
PRIVATE = {
    "slug": "dual-power-study-group",
    "name": "Dual Power Study Group",
    "description": "A small study group reading closely, by invitation.",
}


def _ensure_circle(spec: dict, *, visibility: str, organizer: User) -> Circle:
    circle = Circle.objects.filter(slug=spec["slug"]).first()
    if circle is None:
        circle = Circle.objects.create(
            slug=spec["slug"],
            name=spec["name"],
            description=spec["description"],
            visibility=visibility,
            time_zone=organizer.time_zone,
            created_by=organizer,
        )
    return circle


@transaction.atomic
def ensure_demo_circles(people: dict[str, User], readings: list[Reading]) -> dict:
    """Create the demo circles once; returns {"public", "private", "invite_url"}."""
    olive = people[OLIVE]
    public = _ensure_circle(PUBLIC, visibility=Visibility.PUBLIC, organizer=olive)
    public.readings.add(*readings[:2])
    public.add_member(olive, Role.ORGANIZER)
    public.add_member(people[MAX], Role.MODERATOR)
    for email in (MINA, NOOR, PABLO):
        public.add_member(people[email])

    private = _ensure_circle(PRIVATE, visibility=Visibility.PRIVATE, organizer=olive)
    private.readings.add(*readings[1:2])
    private.add_member(olive, Role.ORGANIZER)
    private.add_member(people[NOOR])
    invite = (
        Invite.objects.usable()
        .filter(circle=private, max_uses__isnull=True)
        .filter(expires_at__gt=timezone.now() + timedelta(days=300))
        .order_by("created_at")
        .first()
    ) or Invite.create_for(private, olive, days=365, max_uses=None)
    _ensure_next_meeting(private, olive)
    return {
        "public": public,
        "private": private,
        "invite": invite,
        "invite_url": f"{settings.SITE_URL}{invite.get_absolute_url()}",
    }


def _ensure_next_meeting(circle: Circle, organizer: User) -> None:
    """One upcoming session in the private circle, so a newcomer has something to RSVP to."""
    reading = circle.readings.first()
    if reading is None or circle.meetings.exists():
        return
    chapters = list(reading.chapters.order_by("number")[:2])
    Meeting.objects.create(
        circle=circle,
        reading=reading,
        title=f"Opening: {chapters[0].display_title}",
        first_chapter=chapters[0],
        last_chapter=chapters[-1],
        starts_at=(timezone.now() + timedelta(days=5)).replace(
            hour=18, minute=0, second=0, microsecond=0
        ),
        video_url="https://meet.example.org/dual-power",
        created_by=organizer,
    )


# --- the public circle's schedule -------------------------------------------------------------

MEMBERS = [MINA, NOOR, PABLO]
ANSWERS = [RSVPAnswer.GOING, RSVPAnswer.GOING, RSVPAnswer.MAYBE, RSVPAnswer.NO]
PAST_NOTES = (
    "We read the opening closely and argued about **who the essay is written for**.\n\n"
    "- Next time: bring one passage you disagreed with.\n"
    "- Noor will start us off."
)


@transaction.atomic
def ensure_demo_meetings(circle: Circle, people: dict[str, User], readings) -> None:
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
                created_by=people.get(OLIVE),
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


# --- a session on now -------------------------------------------------------------------------

LIVE_TITLE = "Drop-in: reading together, live"


@transaction.atomic
def ensure_demo_live_meeting(circle: Circle, people: dict[str, User], readings) -> Meeting | None:
    """A session of the public circle that is on now: it starts ten minutes before the first
    `demo` run, over the chapter of the circle's next session (where the demo's marked threads
    are), so its live margin can be seen at once. Its organizer has switched the live margin
    on, so it stays live when the demo runs again another day."""
    readings = list(readings)
    if not readings:
        return None
    existing = Meeting.objects.filter(circle=circle, title=LIVE_TITLE).first()
    if existing is not None:
        return existing
    chapter = readings[0].chapters.filter(number=4).first() or readings[0].chapters.last()
    if chapter is None:
        return None
    meeting = Meeting.objects.create(
        circle=circle,
        reading=readings[0],
        title=LIVE_TITLE,
        first_chapter=chapter,
        last_chapter=chapter,
        starts_at=timezone.now() - timedelta(minutes=10),
        duration_minutes=120,
        live=True,
        video_url="https://meet.example.org/marginalia-demo",
        agenda="Open floor: bring the passages you marked.",
        created_by=people.get(OLIVE),
    )
    for email in MEMBERS:  # as `ensure_demo_meetings` would answer for them on a later run
        if email in people:
            meeting.rsvps.get_or_create(user=people[email], defaults={"answer": RSVPAnswer.GOING})
    return meeting


# --- where the public circle is in its first reading ------------------------------------------

# How far each has read, chapter after chapter. Mina is behind: she has read no further than
# the past sessions went, so what the others write on later chapters is folded for her.
READ_TO = {OLIVE: 4, MAX: 4, NOOR: 5, PABLO: 4, MINA: 3}
# Who shares their place (the public circle's default is not to): all but Mina.
SHARING = [OLIVE, MAX, NOOR, PABLO]


@transaction.atomic
def ensure_demo_places(circle: Circle, people: dict[str, User], readings) -> None:
    """Each demo person has read the first reading up to their chapter in `READ_TO`, in order
    (so each chapter counts as reached); those in `SHARING` share their place, unless they
    have chosen otherwise since."""
    readings = list(readings)
    if not readings:
        return
    chapters = list(readings[0].chapters.order_by("number"))
    for email, last in READ_TO.items():
        if email not in people:
            continue
        for chapter in chapters[:last]:
            ReadingProgress.advance(people[email], chapter)
    Membership.objects.filter(
        circle=circle, user__email__in=SHARING, share_place__isnull=True
    ).update(share_place=True)
