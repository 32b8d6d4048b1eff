"""The demo's margin threads: a few phrases marked and discussed in the public circle.

Made through `post_comment`, as a member's post would be, with fixed idempotency keys so
running the demo again changes nothing.
"""

from __future__ import annotations

import uuid

from readings.models import Passage

from .comments import post_comment
from .models import Circle

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
]


def ensure_demo_threads(circle: Circle, people: dict, readings: list) -> None:
    by_name = {user.email.split("@", 1)[0]: user for user in people.values()}
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
