from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from readings.importers.base import ReadingImportError
from readings.models import Chapter, Passage, Reading, content_hash
from readings.services import save_parsed_reading
from tests.readings.conftest import make_parsed, paragraphs, passage

pytestmark = pytest.mark.django_db


def test_it_saves_chapters_and_passages_in_order():
    parsed = make_parsed(
        {"One": [passage("One", "heading"), "Two words.", "Three more words."], "Two": ["Last."]}
    )

    reading = save_parsed_reading(parsed)

    assert reading.title == "A Test Reading"
    assert reading.author == "Ann Author"
    assert reading.slug == "a-test-reading"
    assert reading.text_version == 1
    chapters = list(Chapter.objects.of(reading))
    assert [(c.number, c.title, c.word_count) for c in chapters] == [
        (1, "One", 6),
        (2, "Two", 1),
    ]
    first = list(Passage.objects.in_chapter(chapters[0]))
    assert [(p.position, p.kind, p.text, p.word_count) for p in first] == [
        (1, "heading", "One", 1),
        (2, "paragraph", "Two words.", 2),
        (3, "paragraph", "Three more words.", 3),
    ]
    assert first[1].content_hash == content_hash("Two words.")
    assert first[1].html == "Two words."


def test_keys_are_short_url_safe_and_unique_within_the_reading():
    parsed = make_parsed({"A": ["Same text.", "Same text.", *paragraphs(50)], "B": ["Same text."]})

    reading = save_parsed_reading(parsed)

    keys = list(Passage.objects.filter(reading=reading).values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 53
    assert all(re.fullmatch(r"[a-z2-7]{8}", key) for key in keys)


def test_the_same_text_gets_the_same_keys_when_imported_twice():
    first = save_parsed_reading(make_parsed({"A": paragraphs(5)}))
    second = save_parsed_reading(make_parsed({"A": paragraphs(5)}))

    assert second.slug == "a-test-reading-2"
    assert list(Passage.objects.in_reading(first).values_list("key", flat=True)) == list(
        Passage.objects.in_reading(second).values_list("key", flat=True)
    )


def test_overrides_replace_what_the_importer_found(staff):
    reading = save_parsed_reading(
        make_parsed({"A": ["Text."]}),
        title="Given Title",
        author="",
        slug="given",
        source_note="A magazine, 2012",
        created_by=staff,
    )

    assert (reading.title, reading.author, reading.slug) == ("Given Title", "", "given")
    assert reading.source_note == "A magazine, 2012"
    assert reading.created_by == staff


def test_a_slug_that_would_shadow_a_library_url_is_avoided():
    reading = save_parsed_reading(make_parsed({"A": ["Text."]}, title="New"))

    assert reading.slug == "new-2"


def test_it_saves_in_a_few_queries_however_long_the_text():
    parsed = make_parsed({f"Chapter {n}": paragraphs(600) for n in range(5)})

    with CaptureQueriesContext(connection) as queries:
        save_parsed_reading(parsed)

    assert Passage.objects.count() == 3000
    # Savepoint/transaction, slug lookup, reading, chapters, passages in batches of 500.
    assert len(queries) <= 12


def test_a_failure_half_way_saves_nothing(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Passage.objects, "bulk_create", explode)

    with pytest.raises(RuntimeError):
        save_parsed_reading(make_parsed({"A": paragraphs(3)}))

    assert not Reading.objects.exists()
    assert not Chapter.objects.exists()


def test_a_text_without_passages_is_refused():
    with pytest.raises(ReadingImportError, match="no text"):
        save_parsed_reading(make_parsed({"Empty": []}))

    assert not Reading.objects.exists()


def test_an_unknown_kind_of_passage_is_refused():
    with pytest.raises(ReadingImportError, match="Unknown kind"):
        save_parsed_reading(make_parsed({"A": [passage("x", "sidebar")]}))

    assert not Reading.objects.exists()
