"""The demo's margin threads: a few phrases marked and discussed in the public circle, and
one off-topic comment flagged by two members, waiting on the moderation page (the flags
reach the circle's moderator, Max, and its organizer, Olive, in their notifications).

Two threads are on chapters 4 and 5 of the first reading, beyond the past sessions: Mina,
who has read no further than chapter 3, finds them folded (the circle's recent discussion,
the sessions on those chapters, and the notification of Noor's mention of her there) until
she asks to see them. Members have marked the threads on chapters 4 and 5 "Raise at the
session", so the sessions on those chapters propose them as their agenda.

Made through `post_comment` and `flag_comment`, as members' posts and flags would be, with
fixed idempotency keys (and one flag per member) so running the demo again changes nothing.
So replies and mentions notify people as they would on the site: Mina (replied to and
mentioned), Noor and Pablo start with unread notifications.
"""

from __future__ import annotations

import uuid
from contextlib import suppress

from circles.models import Circle
from readings.models import Passage

from .models import FlagReason, RaiseMark
from .moderation import ModerationError, flag_comment
from .services import post_comment

NAMESPACE = uuid.UUID("5b0c3a4e-8f1d-4d3c-9a57-6d1c2f0e9b11")

# (reading index, phrase to mark or "" for the whole passage, [(author, body), ...replies])
THREADS = [
    (
        0,
        "changed class composition requires a changed form of struggle",
        [
            ("mina", "Is this the essay's thesis in one line? Everything after reads as a gloss."),
            ("noor", "I read it as the *premise*; the thesis comes with the division of labor."),
            ("olive", "Let's start the session with this disagreement. @Mina, will you open?"),
        ],
    ),
    (
        0,
        "Idle chatter",
        [
            ("pablo", "The scare quotes are doing a lot of work here."),
            ("max", "Compare the chapter on communication in the second reading."),
        ],
    ),
    (
        1,
        "",
        [("noor", "The standfirst promises *limitations* too — keep an eye out for them.")],
    ),
    (
        1,
        "",
        [("pablo", "Selling two tickets for Saturday's match, half price. Message me!")],
    ),
    (
        0,
        "the theorization of programs",
        [
            ("pablo", "So the program *is* the party's theory? That changes how I read it."),
            ("olive", "Hold that thought for the session on this chapter."),
        ],
    ),
    (
        0,
        "I must admit that I do believe there was some division of labor",
        [
            (
                "noor",
                "@Mina, here is the answer to your thesis question: the division of labor "
                "comes back as the author's own admission.",
            ),
            ("max", "And it is less of a concession than it sounds."),
        ],
    ),
]

# (thread number above, flagger, reason, note): below the circle's threshold, so the comment
# stays visible with open flags for the moderator to review.
FLAGS = [
    (3, "mina", FlagReason.OFF_TOPIC, "Nothing to do with the reading."),
    (3, "noor", FlagReason.SPAM, ""),
]


# Who marks which thread (numbers above) "Raise at the session": threads on the chapters of
# the sessions to come, so their pages (and the drop-in on now) show an agenda.
MARKS = [(4, "noor"), (4, "pablo"), (4, "olive"), (5, "pablo"), (5, "max")]


def ensure_demo_threads(circle: Circle, people: dict, readings: list) -> None:
    by_name = {user.email.split("@", 1)[0]: user for user in people.values()}
    roots = {}
    for number, (reading_index, phrase, posts) in enumerate(THREADS):
        reading = readings[reading_index]
        passages = Passage.objects.filter(reading=reading).order_by("chapter__number", "position")
        if phrase:
            passage = passages.filter(text__contains=phrase).first()
            start = passage.text.index(phrase)
            end = start + len(phrase)
        else:
            passage, start, end = passages.first(), None, None
        root = None
        for index, (author, body) in enumerate(posts):
            key = uuid.uuid5(NAMESPACE, f"{number}:{index}")
            posted = post_comment(
                circle=circle,
                passage=passage if root is None else None,
                author=by_name[author],
                body=body,
                idempotency_key=key,
                start=start if root is None else None,
                end=end if root is None else None,
                parent=root,
            )
            root = root or posted.comment
        roots[number] = root
    for number, flagger, reason, note in FLAGS:
        with suppress(ModerationError):  # flagged on an earlier run
            flag_comment(roots[number], by_name[flagger], reason, note)
    for number, marker in MARKS:
        RaiseMark.objects.get_or_create(thread=roots[number], user=by_name[marker])
