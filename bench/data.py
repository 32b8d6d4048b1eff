"""Build the benchmark's data through the app's own code, in the database Django is set up on.

A deterministic reading of several MB (imported through the plain-text importer), a public
circle with its members, a schedule made by the planner, RSVPs, and comments in threads:
most spread across the reading, and one chapter holding many threads with replies.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date
from datetime import time as clock

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

VOCABULARY = (
    "the circle read slowly and argued about every line of the chapter while the margins "
    "filled with notes questions and small jokes that only the members understood after "
    "months of meetings in kitchens libraries and borrowed rooms where tea went cold and "
    "someone always brought the wrong edition of the book but nobody minded much because "
    "reading together was the point and the text was only ever half of the conversation"
)
WORDS = VOCABULARY.split()


def generate_text(target_bytes: int, chapters: int, seed: int = 1) -> str:
    """A plain-text book of `chapters` chapters, at least `target_bytes` long; the same
    every run."""
    rng = random.Random(seed)
    per_chapter = target_bytes // chapters + 1
    parts = ["A Benchmark of Many Chapters", ""]
    for number in range(1, chapters + 1):
        parts += ["", "", f"CHAPTER {number}", ""]
        size = 0
        while size < per_chapter:
            sentence_count = rng.randint(3, 7)
            sentences = []
            for _ in range(sentence_count):
                words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
                sentences.append(" ".join(words).capitalize() + ".")
            paragraph = " ".join(sentences)
            parts += [paragraph, ""]
            size += len(paragraph) + 2
    return "\n".join(parts) + "\n"


@dataclass
class BenchData:
    reading: object
    circle: object
    member: object
    busy_chapter: object
    meeting: object
    passage_key: str
    busy_passage_keys: list[str]
    thread_id: int
    import_bytes: int
    import_seconds: float


def import_reading(text: str):
    from readings.importers import parse_reading
    from readings.services import save_parsed_reading

    data = text.encode("utf-8")
    started = time.perf_counter()
    parsed = parse_reading(data, filename="bench.txt")
    reading = save_parsed_reading(parsed, title="A Benchmark of Many Chapters", slug="bench")
    return reading, len(data), time.perf_counter() - started


def make_members(count: int) -> list:
    from accounts.models import User

    password = make_password("bench-password")
    users = User.objects.bulk_create(
        User(email=f"reader{n}@bench.test", display_name=f"Reader {n}", password=password)
        for n in range(count)
    )
    return list(User.objects.filter(email__endswith="@bench.test").order_by("pk"))[: len(users)]


def make_circle(organizer, members: list, readings: list):
    from circles.models import Circle, Membership, Role

    circle = Circle.objects.create(name="Bench Circle", slug="bench-circle", created_by=organizer)
    circle.readings.add(*readings)
    Membership.objects.bulk_create(
        Membership(
            circle=circle, user=user, role=Role.ORGANIZER if user == organizer else Role.MEMBER
        )
        for user in members
    )
    return circle


def make_schedule(circle, reading, organizer, members: list, sessions: int):
    from circles.models import RSVP, Meeting, RSVPAnswer
    from circles.planner import propose

    chapters = list(reading.chapters.order_by("number"))
    plan = propose(
        chapters,
        first=date.today(),
        at=clock(19, 0),
        cadence="weekly",
        count=min(sessions, len(chapters)),
        time_zone=circle.time_zone,
    )
    meetings = [
        Meeting.objects.create(
            circle=circle,
            reading=reading,
            title=proposal.title,
            first_chapter=proposal.first_chapter,
            last_chapter=proposal.last_chapter,
            starts_at=proposal.starts_at,
            created_by=organizer,
        )
        for proposal in plan
    ]
    answers = [RSVPAnswer.GOING, RSVPAnswer.MAYBE, RSVPAnswer.NO]
    RSVP.objects.bulk_create(
        RSVP(meeting=meeting, user=user, answer=answers[(meeting.pk + user.pk) % 3])
        for meeting in meetings
        for user in members
    )
    return meetings[0]


def make_comments(circle, chapter_passages: dict, members: list, count: int, rng: random.Random):
    """About `count` comments through the app's own `post_comment`: threads of one to four
    (a root on a phrase or a whole passage, then replies) over the given {chapter: passages}.
    Returns the id of the first thread."""
    from discussions.services import post_comment

    chapters = list(chapter_passages.values())
    made, first_thread = 0, None
    while made < count:
        passages = chapters[rng.randrange(len(chapters))]
        passage = passages[rng.randrange(len(passages))]
        start = end = None
        if rng.random() < 0.7 and len(passage.text) > 40:
            start = rng.randrange(0, len(passage.text) - 30)
            end = start + rng.randint(10, 30)
        author = members[rng.randrange(len(members))]
        root = post_comment(
            circle=circle, passage=passage, author=author, start=start, end=end,
            body=f"A thought about this, number {made}.",
        ).comment  # fmt: skip
        first_thread = first_thread or root.pk
        made += 1
        for _ in range(min(rng.randint(0, 3), count - made)):
            post_comment(
                circle=circle, passage=None, parent=root, body=f"A reply, number {made}.",
                author=members[rng.randrange(len(members))],
            )  # fmt: skip
            made += 1
    return first_thread


def make_scaling_circle(data, count: int):
    """A circle of its own whose busy chapter holds `count` comments (for the scaling table)."""
    from circles.models import Circle

    members = list(data.circle.memberships.values_list("user", flat=True)[:20])
    from accounts.models import User

    people = list(User.objects.filter(pk__in=members))
    circle = Circle.objects.create(name=f"Scaling {count}", slug=f"scaling-{count}")
    circle.readings.add(data.reading)
    for person in people:
        circle.add_member(person)
    passages = list(data.busy_chapter.passages.all())
    with transaction.atomic():
        make_comments(circle, {data.busy_chapter: passages}, people, count, random.Random(count))
    return circle


@transaction.atomic
def build(*, megabytes: float, chapters: int, members: int, comments: int, busy_threads: int):
    text = generate_text(int(megabytes * 1_000_000), chapters)
    reading, size, seconds = import_reading(text)
    people = make_members(members)
    organizer, member = people[0], people[1]
    circle = make_circle(organizer, people, [reading])
    meeting = make_schedule(circle, reading, organizer, people, sessions=6)

    from readings.models import Passage

    rng = random.Random(7)
    by_chapter: dict = {}
    for passage in Passage.objects.filter(reading=reading).select_related("chapter"):
        by_chapter.setdefault(passage.chapter, []).append(passage)
    busy_chapter = next(iter(sorted(by_chapter, key=lambda ch: ch.number)))
    others = {ch: ps for ch, ps in by_chapter.items() if ch != busy_chapter}
    thread_id = make_comments(
        circle, {busy_chapter: by_chapter[busy_chapter]}, people, busy_threads * 5 // 2, rng
    )
    make_comments(circle, others, people, max(comments - busy_threads * 5 // 2, 0), rng)
    passage_key = by_chapter[busy_chapter][0].key
    return BenchData(
        reading=reading,
        circle=circle,
        member=member,
        busy_chapter=busy_chapter,
        meeting=meeting,
        passage_key=passage_key,
        busy_passage_keys=[passage.key for passage in by_chapter[busy_chapter]],
        thread_id=thread_id,
        import_bytes=size,
        import_seconds=seconds,
    )


def now() -> str:
    return timezone.now().isoformat(timespec="seconds")


def ring_bell(data) -> tuple[object, int]:
    """Quiet the bell of `data.member` (their notifications read: the plain member row) and
    return another member whose bell shows unread items, with how many."""
    from notifications.models import Notification

    Notification.objects.filter(recipient=data.member).mark_read()
    ringing = (
        data.circle.memberships.exclude(user=data.member)
        .select_related("user")
        .order_by("pk")[1]
        .user
    )
    unread = Notification.objects.for_user(ringing).unread().count()
    if not unread:  # a reply to them, as a member would get one
        from discussions.models import Comment
        from discussions.services import post_comment

        root = Comment.objects.filter(circle=data.circle, author=ringing, root=None).first()
        root = root or post_comment(
            circle=data.circle, passage=data.busy_chapter.passages.first(), author=ringing,
            body="A thought of the bell's own.",
        ).comment  # fmt: skip
        post_comment(
            circle=data.circle, passage=None, parent=root, author=data.member,
            body="A reply that rings the bell.",
        )  # fmt: skip
        unread = Notification.objects.for_user(ringing).unread().count()
    return ringing, unread


def make_member_scaling_circle(data, members: int, people: list):
    """A circle of its own with `members` members (the first of `people`), its schedule of
    two sessions answered by every member, and 50 comments in the busy chapter: for the
    member page's scaling table (members, not comments, grow)."""
    from circles.models import Circle, Membership, Role

    circle = Circle.objects.create(name=f"Members {members}", slug=f"members-{members}")
    circle.readings.add(data.reading)
    chosen = people[:members]
    with transaction.atomic():
        Membership.objects.bulk_create(
            Membership(
                circle=circle,
                user=user,
                share_place=True,
                role=Role.ORGANIZER if index == 0 else Role.MEMBER,
            )  # fmt: skip
            for index, user in enumerate(chosen)
        )
        make_schedule(circle, data.reading, chosen[0], chosen, sessions=2)
        passages = list(data.busy_chapter.passages.all())
        writers = chosen[:10]
        make_comments(circle, {data.busy_chapter: passages}, writers, 50, random.Random(members))
    return circle, chosen[1]


def make_scaling_people(count: int) -> list:
    """`count` more accounts for the member scaling table (one password hash for all)."""
    from accounts.models import User

    password = make_password("bench-password")
    with transaction.atomic():
        User.objects.bulk_create(
            (
                User(email=f"many{n}@scale.test", display_name=f"Many {n}", password=password)
                for n in range(count)
            ),
            batch_size=2000,
        )
    return list(User.objects.filter(email__endswith="@scale.test").order_by("pk"))
