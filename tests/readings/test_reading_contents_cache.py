"""A reading's contents page in the library: its list of chapters rendered once per text
version for everyone without a place in it, never stale, and marked for a reader with one."""

from __future__ import annotations

import pytest

from readings.models import Chapter, ReadingProgress
from readings.services import rename_chapter

pytestmark = pytest.mark.django_db


def contents(html: str) -> str:
    return html[html.index('<section class="toc"') : html.index("</section>")]


def test_an_unchanged_contents_page_costs_one_query(client, reading, django_assert_num_queries):
    first = client.get(reading.get_absolute_url()).text
    with django_assert_num_queries(1):  # the reading; the chapters come with the cached list
        again = client.get(reading.get_absolute_url()).text
    assert contents(again) == contents(first)
    for chapter in Chapter.objects.of(reading):
        assert chapter.get_absolute_url() in again
    assert "Start reading" in again
    assert "Where you left off" not in again


def test_a_renamed_chapter_shows_on_the_next_request(client, reading):
    client.get(reading.get_absolute_url())
    chapter = Chapter.objects.get(reading=reading, number=2)
    rename_chapter(chapter, "A Brand New Middle")
    assert "A Brand New Middle" in client.get(reading.get_absolute_url()).text


def test_a_new_slug_shows_in_the_links_on_the_next_request(client, reading):
    client.get(reading.get_absolute_url())
    reading.slug = "read-on-elsewhere"
    reading.save()
    html = client.get(reading.get_absolute_url()).text
    assert "/library/read-on-elsewhere/" in html
    for chapter in Chapter.objects.of(reading):
        assert chapter.get_absolute_url() in html


def test_a_reader_sees_their_place_as_soon_as_they_have_one(client, member, reading):
    client.force_login(member)
    assert "Where you left off" not in client.get(reading.get_absolute_url()).text
    chapter = Chapter.objects.get(reading=reading, number=2)
    ReadingProgress.advance(member, chapter, chapter.passages.order_by("position")[1])
    html = client.get(reading.get_absolute_url()).text
    assert "Continue reading" in html
    assert "Where you left off" in html
    # and everyone else still gets the list without it
    client.logout()
    assert "Where you left off" not in client.get(reading.get_absolute_url()).text
