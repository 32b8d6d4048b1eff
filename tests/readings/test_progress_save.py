from __future__ import annotations

import pytest
from django.urls import reverse

from readings.models import Chapter, Passage, ReadingProgress

pytestmark = pytest.mark.django_db


def url(reading) -> str:
    return reverse("readings:progress-save", args=[reading.slug])


def test_anonymous_readers_cannot_save_progress(client, reading):
    passage = Passage.objects.filter(reading=reading).first()

    response = client.post(url(reading), {"chapter": 1, "passage": passage.key})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not ReadingProgress.objects.exists()


def test_it_saves_the_last_passage_reached(client, member, reading):
    chapter = Chapter.objects.get(reading=reading, number=2)
    passage = Passage.objects.in_chapter(chapter)[3]
    client.force_login(member)

    response = client.post(url(reading), {"chapter": 2, "passage": passage.key})

    assert response.status_code == 204
    progress = ReadingProgress.objects.get(user=member, reading=reading)
    assert (progress.chapter, progress.passage) == (chapter, passage)


def test_the_reading_page_then_offers_to_continue_there(client, member, reading):
    chapter = Chapter.objects.get(reading=reading, number=2)
    passage = Passage.objects.in_chapter(chapter)[3]
    client.force_login(member)
    client.post(url(reading), {"chapter": 2, "passage": passage.key})

    html = client.get(reading.get_absolute_url()).text

    assert "Continue reading" in html
    assert f"{chapter.get_absolute_url()}#p-{passage.key}" in html


def test_visiting_a_chapter_records_it_without_javascript(client, member, reading):
    client.force_login(member)

    client.get(Chapter.objects.get(reading=reading, number=3).get_absolute_url())

    assert ReadingProgress.objects.get(user=member, reading=reading).chapter.number == 3


def test_revisiting_the_same_chapter_keeps_the_passage(client, member, reading):
    chapter = Chapter.objects.get(reading=reading, number=2)
    passage = Passage.objects.in_chapter(chapter)[3]
    client.force_login(member)
    client.post(url(reading), {"chapter": 2, "passage": passage.key})

    client.get(chapter.get_absolute_url())
    assert ReadingProgress.objects.get(user=member).passage == passage

    client.get(Chapter.objects.get(reading=reading, number=1).get_absolute_url())
    progress = ReadingProgress.objects.get(user=member)
    assert (progress.chapter.number, progress.passage) == (1, None)


def test_a_passage_from_another_chapter_is_refused(client, member, reading):
    other = Passage.objects.in_chapter(Chapter.objects.get(reading=reading, number=3)).first()
    client.force_login(member)

    response = client.post(url(reading), {"chapter": 2, "passage": other.key})

    assert response.status_code == 404
    assert not ReadingProgress.objects.filter(passage=other).exists()


def test_garbage_is_a_bad_request(client, member, reading):
    client.force_login(member)

    assert client.post(url(reading), {"chapter": "two"}).status_code == 400


def test_get_is_not_allowed(client, member, reading):
    client.force_login(member)

    assert client.get(url(reading)).status_code == 405


def test_readers_keep_their_own_progress(client, member, outsider, reading):
    client.force_login(member)
    client.post(url(reading), {"chapter": 3})
    client.force_login(outsider)
    client.post(url(reading), {"chapter": 1})

    assert ReadingProgress.objects.get(user=member).chapter.number == 3
    assert ReadingProgress.objects.get(user=outsider).chapter.number == 1
