"""No text from beyond a member's horizon, whatever their reading and the circle's sessions:
for generated progress, sessions and threads, the member's pages (the circle's home, every
session's page, every thread's passage page), their notifications list and every email they
get (right away or in the digest) hold no word written on — nor quoted from — a chapter
beyond their horizon; and "show anyway" shows them (so the check can fail).

The horizon is worked out here on its own, from its definition: the first chapter, the
chapters up to the last one a held session covered (ended, not cancelled), and the chapters
the member has read in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from circles.models import MeetingStatus
from discussions.services import post_comment
from notifications.delivery import send_digests, send_now
from notifications.models import EmailKind, EmailPreference, Frequency, Notification
from readings.models import Passage, ReadingProgress
from tests.factories import make_circle, make_meeting, make_reading, make_user

CHAPTERS = 5


@dataclass(frozen=True)
class Scenario:
    reached: frozenset[int]  # chapters the member read in, in this order
    held_to: int | None  # the last chapter of the held session (None: none held)
    held_cancelled: bool
    threads: tuple[int, ...]  # a thread (mentioning the member) on each of these chapters
    replies_on: frozenset[int]  # the threads the member started there and got a reply to
    digest: bool  # mentions by digest rather than right away

    def horizon(self) -> set[int]:
        within = {1} | set(self.reached)
        if self.held_to and not self.held_cancelled:
            within |= set(range(1, self.held_to + 1))
        return within


chapters = st.integers(min_value=1, max_value=CHAPTERS)
scenarios = st.builds(
    Scenario,
    reached=st.frozensets(chapters, max_size=CHAPTERS),
    held_to=st.one_of(st.none(), chapters),
    held_cancelled=st.booleans(),
    threads=st.lists(chapters, min_size=1, max_size=6).map(tuple),
    replies_on=st.frozensets(chapters, max_size=2),
    digest=st.booleans(),
)


def marker(n: int, k: int) -> str:
    return f"secret{n}q{k}z"


def quote_of(n: int) -> str:
    """Words of chapter `n`'s text (the factory's passages read "word<n>x0 word<n>x1 …")."""
    return f"word{n}x"


@pytest.mark.django_db
@override_settings(COMMENTS_PER_MINUTE=0, COMMENTS_PER_DAY=0)
class NoSpoilers(TestCase):
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(scenario=scenarios)
    def test_nothing_from_beyond_the_horizon_reaches_the_member(self, scenario: Scenario):
        from django.core.cache import caches

        caches["fragments"].clear()
        caches["default"].clear()
        author = make_user(display_name="Ava")
        member = make_user(display_name="Mina")
        reading = make_reading("The Book", chapters=CHAPTERS, words=12)
        circle = make_circle(author, readings=[reading])
        circle.add_member(member)
        by_number = {c.number: c for c in reading.chapters.all()}
        first_passages = {
            n: Passage.objects.in_chapter(chapter).first() for n, chapter in by_number.items()
        }
        if scenario.digest:
            for kind in (EmailKind.MENTION, EmailKind.REPLY):
                EmailPreference.set(member, kind, Frequency.DIGEST)
        for n in sorted(scenario.reached):
            ReadingProgress.advance(member, by_number[n])
        meetings = []
        if scenario.held_to:
            meetings.append(
                make_meeting(
                    circle,
                    reading,
                    first=1,
                    last=scenario.held_to,
                    starts_at=timezone.now() - timedelta(days=3),
                    status=MeetingStatus.CANCELLED
                    if scenario.held_cancelled
                    else MeetingStatus.SCHEDULED,
                )
            )
        for n in range(1, CHAPTERS + 1):  # a session to come on each chapter
            meetings.append(make_meeting(circle, reading, first=n, last=n))

        comments = []
        with self.captureOnCommitCallbacks(execute=True):
            for k, n in enumerate(scenario.threads):
                comments.append(
                    post_comment(
                        circle=circle,
                        author=author,
                        passage=first_passages[n],
                        body=f"@Mina {marker(n, k)}",
                        start=0,
                        end=10,
                    ).comment
                )
            for n in scenario.replies_on:
                mine = post_comment(
                    circle=circle, author=member, passage=first_passages[n], body="Mine."
                ).comment
                reply = post_comment(
                    circle=circle, author=author, passage=None, parent=mine, body=marker(n, 99)
                ).comment
                comments.append(reply)
        send_now(list(Notification.objects.values_list("pk", flat=True)))
        send_digests()

        within = scenario.horizon()
        beyond = set(range(1, CHAPTERS + 1)) - within
        client = Client()
        client.force_login(member)

        def forbidden(text: str, *, book_text: bool = True) -> list[str]:
            found = []
            for k, n in enumerate(scenario.threads):
                if n in beyond and marker(n, k) in text:
                    found.append(marker(n, k))
            found += [marker(n, 99) for n in scenario.replies_on & beyond if marker(n, 99) in text]
            if book_text:
                found += [quote_of(n) for n in beyond if re.search(quote_of(n) + r"\d", text)]
            return found

        pages = {
            "circle": circle.get_absolute_url(),
            "notifications": "/notifications/",
            **{f"session {m.pk}": m.get_absolute_url() for m in meetings},
        }
        for name, url in pages.items():
            html = client.get(url).text
            assert forbidden(html) == [], name
        for comment in comments:
            root = comment.root or comment
            url = root.get_absolute_url().split("#")[0]
            # The passage page shows the passage's own text (the book): only the words
            # written in its margin must not be there.
            assert forbidden(client.get(url).text, book_text=False) == [], url
        mine = [message for message in mail.outbox if message.to == [member.email]]
        for message in mine:
            assert forbidden(message.body) == [], message.subject
            assert forbidden(message.alternatives[0][0]) == [], message.subject

        # Asked for, everything written shows: the checks above could fail.
        shown = client.get("/notifications/?spoilers=show").text
        for k, n in enumerate(scenario.threads):
            assert marker(n, k) in shown
        sessions = {m.first_chapter.number: m for m in meetings[-CHAPTERS:]}
        for n in set(scenario.threads):
            page = client.get(sessions[n].get_absolute_url() + "?spoilers=show").text
            assert re.search(quote_of(n) + r"\d", page)
