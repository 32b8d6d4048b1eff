"""The chapters a reader has read in: each progress post records its chapter — that chapter
alone, so a peek ahead never counts the chapters skipped — notes never count, and "Download
my data" holds them."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from readings.models import ChapterReached, Passage, PassageKind, ReadingProgress
from tests.factories import make_reading, make_user

pytestmark = pytest.mark.django_db


def reached(user, reading) -> list[int]:
    return sorted(
        ChapterReached.objects.filter(user=user, reading=reading).values_list(
            "chapter__number", flat=True
        )
    )


@pytest.fixture
def reading():
    return make_reading("Five", chapters=5)


def save(client, reading, number: int, passage: Passage | None = None):
    url = reverse("readings:progress-save", kwargs={"slug": reading.slug})
    data = {"chapter": number, "passage": passage.key if passage else ""}
    return client.post(url, data)


def test_saving_progress_records_the_chapter(client, member, reading):
    client.force_login(member)
    assert save(client, reading, 1).status_code == 204
    assert reached(member, reading) == [1]


def test_a_peek_ahead_records_that_chapter_alone(client, member, reading):
    client.force_login(member)
    save(client, reading, 1)
    save(client, reading, 4)
    assert reached(member, reading) == [1, 4]
    # Going back to read on counts, though the place stays at chapter 4.
    save(client, reading, 2)
    assert reached(member, reading) == [1, 2, 4]
    assert ReadingProgress.objects.get(user=member).chapter.number == 4


def test_notes_do_not_count(member):
    reading = make_reading("Noted", chapters=2)
    notes = reading.chapters.get(number=2)
    Passage.objects.filter(chapter=notes).update(kind=PassageKind.NOTE)
    ReadingProgress.advance(member, notes)
    note = Passage.objects.filter(chapter=notes).first()
    ReadingProgress.advance(member, notes, note)
    assert reached(member, reading) == []


def test_each_chapter_is_recorded_once(member, reading):
    chapter = reading.chapters.get(number=3)
    for passage in Passage.objects.in_chapter(chapter):
        ReadingProgress.advance(member, chapter, passage)
    assert ChapterReached.objects.filter(user=member).count() == 1


def test_the_download_holds_them(client, member, reading):
    ReadingProgress.advance(member, reading.chapters.get(number=2))
    client.force_login(member)
    data = client.get(reverse("accounts:data-export")).json()
    assert [(e["reading"], e["chapter"]) for e in data["chapters_reached"]] == [("Five", 2)]


def test_places_kept_before_count_every_chapter_up_to_them(member, reading):
    """The migration that made them: a reader already at chapter 3 has reached 1 to 3."""
    other = make_user()
    ReadingProgress.objects.create(
        user=member, reading=reading, chapter=reading.chapters.get(number=3)
    )
    ReadingProgress.objects.create(
        user=other, reading=reading, chapter=reading.chapters.get(number=1)
    )
    migration = importlib.import_module("readings.migrations.0005_chapters_reached")
    migration.reached_up_to_the_place(apps, None)
    migration.reached_up_to_the_place(apps, None)  # again: nothing twice
    assert reached(member, reading) == [1, 2, 3]
    assert reached(other, reading) == [1]
