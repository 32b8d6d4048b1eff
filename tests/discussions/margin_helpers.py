"""A circle reading a book, with one person in each role, for the margin's tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from discussions.comments import post_comment
from discussions.models import Circle, Comment, Membership, MembershipState, Role
from readings.models import Chapter, Passage, Reading
from tests.factories import make_circle, make_reading, make_user


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


def add_non_bmp_passage(margin: Margin) -> Passage:
    """A one-chapter reading in the margin's circle whose first passage is `NON_BMP_TEXT`."""
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
    margin.circle.readings.add(reading)
    return Passage.objects.filter(reading=reading).order_by("position").first()
