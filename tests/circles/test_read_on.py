"""After joining, the circle's first button says where to read: "Start reading" at the next
session's first chapter, or "Continue reading" where the member left off; and a chapter's
"Next up" is the next session of that reading."""

from __future__ import annotations

import re

from django.urls import reverse

from readings.models import ReadingProgress
from tests.factories import make_meeting, make_reading


def chapter_url(circle, chapter) -> str:
    return reverse(
        "discussions:circle-chapter", args=[circle.slug, chapter.reading.slug, chapter.number]
    )


def test_a_new_member_starts_at_the_next_sessions_first_chapter(client, circle, member):
    reading = circle.readings.get()
    make_meeting(circle, reading, first=2, last=3)
    client.force_login(member)
    page = client.get(circle.get_absolute_url()).text
    button = re.search(r'<a class="button" href="([^"]+)">Start reading', page)
    assert button.group(1) == chapter_url(circle, reading.chapters.get(number=2))
    assert page.index("Start reading") < page.index("Leave the circle")


def test_a_member_who_has_read_continues_where_they_left_off(client, circle, member):
    reading = circle.readings.get()
    make_meeting(circle, reading, first=1, last=2)
    ReadingProgress.advance(member, reading.chapters.get(number=3))
    client.force_login(member)
    page = client.get(circle.get_absolute_url()).text
    button = re.search(r'<a class="button" href="([^"]+)">Continue reading', page)
    assert button.group(1) == chapter_url(circle, reading.chapters.get(number=3))
    assert "Start reading" not in page


def test_visitors_get_no_reading_button(client, circle):
    page = client.get(circle.get_absolute_url()).text
    assert "Start reading" not in page and "Continue reading" not in page


def test_next_up_on_a_chapter_is_the_next_session_of_that_reading(client, circle, member):
    walden = circle.readings.get()
    essays = make_reading("Essays", chapters=2)
    circle.readings.add(essays)
    sooner = make_meeting(circle, essays, title="Essays night")
    make_meeting(
        circle, walden, title="Walden night", starts_at=sooner.starts_at.replace(year=2040)
    )
    client.force_login(member)
    page = client.get(chapter_url(circle, walden.chapters.get(number=1))).text
    assert "Walden night" in page and "Essays night" not in page
