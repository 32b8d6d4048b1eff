"""The chapter context is reusable by other readers (a circle's) at their own URLs."""

from __future__ import annotations

import pytest

from readings.models import Chapter
from readings.reader import build_chapter_context

pytestmark = pytest.mark.django_db


def test_other_readers_choose_where_chapters_live(reading, django_assert_num_queries):
    chapter = Chapter.objects.select_related("reading").get(reading=reading, number=2)

    with django_assert_num_queries(2):
        context = build_chapter_context(
            chapter,
            chapter_url=lambda c: f"/circles/book-club/read/{c.reading.slug}/{c.number}/",
            reading_url="/circles/book-club/",
        )

    assert context["previous_url"] == f"/circles/book-club/read/{reading.slug}/1/"
    assert context["next_url"] == f"/circles/book-club/read/{reading.slug}/3/"
    assert context["reading_url"] == "/circles/book-club/"
    assert (context["chapter_index"], context["chapter_count"]) == (2, 3)
    assert context["title_passage"].text == "Middles"
    assert [len(group.passages) for group in context["passage_blocks"]] == [1, 1, 1, 1]


def test_the_first_and_last_chapters_have_no_previous_or_next(reading):
    first = build_chapter_context(Chapter.objects.get(reading=reading, number=1))
    last = build_chapter_context(Chapter.objects.get(reading=reading, number=3))

    assert (first["previous_url"], last["next_url"]) == ("", "")
    assert first["next_url"] == f"/library/{reading.slug}/2/"
