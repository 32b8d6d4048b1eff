"""Small `make_*` functions that build valid objects with sensible defaults, and the shared
scenes: a circle with one person in each role, and a margin (a circle reading a book)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from accounts.second_factor import add_authenticator_app
from circles.models import Circle, Membership, MembershipState, Role
from discussions.models import Comment
from discussions.services import post_comment
from readings.models import Chapter, Passage, Reading

PASSWORD = "correct horse battery staple"
# The tests' staff authenticator app (base32); `current_code(TOTP_SECRET)` is its code now.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_numbers = itertools.count(1)


def make_user(
    email: str | None = None,
    *,
    verified: bool = True,
    password: str = PASSWORD,
    second_factor: bool | None = None,
    **kwargs,
) -> User:
    """A user who can log in by email (verified unless told otherwise). Staff get an
    authenticator app with TOTP_SECRET (`second_factor=False`: none), as staff must."""
    email = email or f"reader{next(_numbers)}@example.org"
    user = User.objects.create_user(email=email, password=password, **kwargs)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    if second_factor is None:
        second_factor = user.is_staff or user.is_superuser
    if second_factor:
        add_authenticator_app(user, TOTP_SECRET)
    return user


def make_reading(title: str = "A Short Book", chapters: int = 3, words: int = 40, **kwargs):
    """A reading saved through the app's own import path: `chapters` chapters of two
    paragraphs, each chapter `words` words long."""
    from readings.importers.base import ParsedChapter, ParsedPassage, ParsedReading
    from readings.services import save_parsed_reading

    def paragraph(n: int, count: int) -> ParsedPassage:
        text = " ".join(f"word{n}x{i}" for i in range(count))
        return ParsedPassage(kind="paragraph", text=text, html=text)

    parsed = ParsedReading(
        title=title,
        author=kwargs.pop("author", "Ann Author"),
        chapters=[
            ParsedChapter(
                title=f"Chapter {n}",
                passages=[paragraph(n, words // 2), paragraph(n, words - words // 2)],
            )
            for n in range(1, chapters + 1)
        ],
    )
    return save_parsed_reading(parsed, **kwargs)


def make_circle(organizer=None, *, name: str = "Tuesday Readers", private: bool = False, **kwargs):
    """A circle with `organizer` as its organizer (and its readings, if given)."""
    from circles.models import Circle, Role, Visibility

    readings = kwargs.pop("readings", [])
    circle = Circle.objects.create(
        name=name,
        visibility=Visibility.PRIVATE if private else Visibility.PUBLIC,
        created_by=organizer,
        **kwargs,
    )
    if organizer is not None:
        circle.add_member(organizer, Role.ORGANIZER)
    circle.readings.add(*readings)
    return circle


def make_meeting(circle, reading=None, *, first: int = 1, last: int | None = None, **kwargs):
    """A session of `circle` over chapters first..last of `reading` (a week from now)."""
    from datetime import timedelta

    from django.utils import timezone

    from circles.models import Meeting

    reading = reading or circle.readings.first() or make_reading()
    circle.readings.add(reading)
    chapters = {chapter.number: chapter for chapter in reading.chapters.all()}
    kwargs.setdefault("starts_at", timezone.now() + timedelta(days=7))
    kwargs.setdefault("title", f"Chapters {first}–{last or first}")
    return Meeting.objects.create(
        circle=circle,
        reading=reading,
        first_chapter=chapters[first],
        last_chapter=chapters[last or first],
        **kwargs,
    )


def circle_with_roles(organizer, moderator, member, *, private: bool = False, **kwargs) -> Circle:
    name = kwargs.pop("name", "Private Readers" if private else "Public Readers")
    circle = make_circle(organizer, name=name, private=private, **kwargs)
    circle.add_member(moderator, Role.MODERATOR)
    circle.add_member(member)
    return circle


@dataclass
class Margin:
    circle: Circle
    reading: Reading
    chapter: Chapter
    passage: Passage
    banned: object

    def chapter_url(self, number: int = 1, **query) -> str:
        url = reverse(
            "discussions:circle-chapter", args=[self.circle.slug, self.reading.slug, number]
        )
        return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def passage_url(self, passage: Passage | None = None) -> str:
        key = (passage or self.passage).key
        return reverse("discussions:passage", args=[self.circle.slug, self.reading.slug, key])

    def create_url(self, passage: Passage | None = None) -> str:
        key = (passage or self.passage).key
        return reverse(
            "discussions:comment-create", args=[self.circle.slug, self.reading.slug, key]
        )

    def comment(self, author, body: str = "A thought.", **kwargs) -> Comment:
        kwargs.setdefault("passage", self.passage)
        return post_comment(circle=self.circle, author=author, body=body, **kwargs).comment


def make_margin(organizer, moderator, member, *, private: bool = False) -> Margin:
    reading = make_reading("The Margins", chapters=3, words=40)
    circle = make_circle(
        organizer, name="Private Readers" if private else "Public Readers", private=private
    )
    circle.add_member(moderator, Role.MODERATOR)
    circle.add_member(member)
    circle.readings.add(reading)
    banned = make_user("bea.banned@example.org", display_name="Bea")
    Membership.objects.create(circle=circle, user=banned, state=MembershipState.BANNED)
    chapter = reading.chapters.get(number=1)
    passage = Passage.objects.in_chapter(chapter).first()
    return Margin(circle, reading, chapter, passage, banned)


# A passage with characters outside the Basic Multilingual Plane: each is one code point (one
# character to Python and to the W3C model) and two UTF-16 code units (to the DOM).
NON_BMP_TEXT = "𝔐oby’s crew cheered 😀 then the whale sank the boat 🐋 at dawn."
NON_BMP_PHRASE = "then the whale"


def add_non_bmp_passage(circle: Circle) -> Passage:
    """A one-chapter reading in `circle` whose first passage is `NON_BMP_TEXT`."""
    from readings.importers.base import ParsedChapter, ParsedPassage, ParsedReading
    from readings.services import save_parsed_reading

    reading = save_parsed_reading(
        ParsedReading(
            title="Whale Songs",
            chapters=[
                ParsedChapter(
                    title="One",
                    passages=[
                        ParsedPassage("paragraph", NON_BMP_TEXT, NON_BMP_TEXT),
                        ParsedPassage("paragraph", "Calm water.", "Calm water."),
                    ],
                )
            ],
        )
    )
    circle.readings.add(reading)
    return Passage.objects.filter(reading=reading).order_by("position").first()


def thread_on(circle, author, passage: Passage, words: str | None, body: str = "Note.") -> Comment:
    """A thread root written straight into the database (no service, no notification),
    anchored to `words` in `passage`, or to the whole passage when None: for tests of what
    re-imports and edits do to anchors."""
    from discussions.anchoring import make_selector

    if words is None:
        selector = make_selector(passage.text, None, None)
    else:
        start = passage.text.index(words)
        selector = make_selector(passage.text, start, start + len(words))
    return Comment.objects.create(
        circle=circle,
        author=author,
        reading=passage.reading,
        chapter=passage.chapter,
        passage=passage,
        passage_key=passage.key,
        body=body,
        body_html=f"<p>{body}</p>",
        anchor_start=selector.start,
        anchor_end=selector.end,
        anchor_exact=selector.exact,
        anchor_original_exact=selector.exact,
        anchor_prefix=selector.prefix,
        anchor_suffix=selector.suffix,
        anchor_text_version=passage.reading.text_version,
    )
