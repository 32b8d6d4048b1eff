from __future__ import annotations

import pytest
from django.urls import reverse

from readings.importers import parse_reading
from readings.models import Chapter, Passage, ReadingProgress
from readings.services import save_parsed_reading

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


def test_reading_a_chapter_writes_nothing(client, member, reading):
    client.force_login(member)

    response = client.get(Chapter.objects.get(reading=reading, number=3).get_absolute_url())

    assert response.status_code == 200
    assert not ReadingProgress.objects.exists()


def test_progress_moves_forward_within_a_chapter_and_to_later_chapters(client, member, reading):
    two = list(Passage.objects.in_chapter(Chapter.objects.get(reading=reading, number=2)))
    three = Passage.objects.in_chapter(Chapter.objects.get(reading=reading, number=3)).first()
    client.force_login(member)

    client.post(url(reading), {"chapter": 2, "passage": two[1].key})
    client.post(url(reading), {"chapter": 2, "passage": two[3].key})
    assert ReadingProgress.objects.get(user=member).passage == two[3]

    client.post(url(reading), {"chapter": 3, "passage": three.key})
    assert ReadingProgress.objects.get(user=member).passage == three


def test_rereading_an_earlier_place_does_not_move_progress_back(client, member, reading):
    chapter = Chapter.objects.get(reading=reading, number=2)
    passages = list(Passage.objects.in_chapter(chapter))
    first = Passage.objects.in_chapter(Chapter.objects.get(reading=reading, number=1)).first()
    client.force_login(member)
    client.post(url(reading), {"chapter": 2, "passage": passages[3].key})

    assert client.post(url(reading), {"chapter": 2, "passage": passages[1].key}).status_code == 204
    client.post(url(reading), {"chapter": 1, "passage": first.key})
    client.post(url(reading), {"chapter": 2})

    progress = ReadingProgress.objects.get(user=member)
    assert (progress.chapter, progress.passage) == (chapter, passages[3])


def test_following_a_note_leaves_continue_reading_in_the_text(client, member, db):
    source = (
        "Essay\n\nThe first claim.1\n\nThe second claim.\n\n\n\n"
        "1. The note, in a chapter of notes.\n"
    )
    reading = save_parsed_reading(parse_reading(source.encode(), "essay.txt"))
    text, notes = Chapter.objects.of(reading)
    claim = Passage.objects.in_chapter(text).first()
    note = Passage.objects.in_chapter(notes).get()
    client.force_login(member)
    client.post(url(reading), {"chapter": text.number, "passage": claim.key})

    client.get(notes.get_absolute_url())
    client.post(url(reading), {"chapter": notes.number, "passage": note.key})
    client.post(url(reading), {"chapter": notes.number})

    progress = ReadingProgress.objects.get(user=member)
    assert (progress.chapter, progress.passage) == (text, claim)
    page = client.get(reading.get_absolute_url()).text
    assert f"{text.get_absolute_url()}#p-{claim.key}" in page


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
