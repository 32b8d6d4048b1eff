"""Searching a reading's text (the reader's search box) and the library's: words, exact
phrases, stemming, accents; results link to the passage; the index follows edits."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from readings.importers.base import ParsedReading
from readings.models import Passage
from readings.search import fts5_query, passage_hits, search_config
from readings.services import save_parsed_reading
from tests.conftest import on_postgresql
from tests.readings.conftest import make_parsed

WHALE = "Call me Ishmael. Some years ago I went sailing about a little, to see the watery world."
WAVES = "The waves broke on the jetty, and the harpooneers were sleeping in the café below."
CHASE = "The whale turned and the boats chased it across the grey water until nightfall."
INK = "Ink is <cheap> & plentiful; whales are not."


@pytest.fixture
def book(db):
    return save_parsed_reading(
        make_parsed(
            {"Loomings": [WHALE, WAVES], "The Chase": [CHASE, INK]},
            title="Moby-Dick",
            author="Herman Melville",
        )
    )


@pytest.fixture
def other_book(db):
    return save_parsed_reading(
        make_parsed({"One": ["A quiet afternoon with no sea creatures in it at all."]}, "Walden")
    )


def search(client, book, q):
    return client.get(reverse("readings:reading-search", args=[book.slug]), {"q": q})


def test_two_words_find_the_passage_and_link_to_its_place_in_the_reader(client, book):
    response = search(client, book, "harpooneers jetty")
    passage = Passage.objects.get(text=WAVES)
    assert response.status_code == 200
    assert f'href="{passage.get_absolute_url()}"' in response.text
    assert "1 passage matches" in response.text
    assert "<mark>harpooneers</mark>" in response.text
    assert WHALE[:20] not in response.text


def test_words_are_stemmed_and_accents_ignored(client, book):
    # "chasing" finds "chased" (stemming); "cafe" finds "café" (accents dropped).
    assert "1 passage matches" in search(client, book, "chasing").text
    assert "1 passage matches" in search(client, book, "cafe").text


def test_an_exact_phrase_needs_its_words_together(client, book):
    assert "1 passage matches" in search(client, book, '"the boats chased"').text
    assert "No passage matches" in search(client, book, '"boats the chased"').text


def test_a_minus_leaves_words_out(client, book):
    text = search(client, book, "the -whale").text
    assert "jetty" in text and "nightfall" not in text


def test_the_snippet_is_escaped_text_with_only_its_marks(client, book):
    text = search(client, book, "plentiful").text
    assert "&lt;cheap&gt; &amp; <mark>plentiful</mark>" in text


def test_nothing_searchable_is_no_search(client, book):
    text = search(client, book, '" - ( ) *').text
    assert "nothing to search for" in text and "matches" not in text
    too_long = search(client, book, "x" * 500)
    assert too_long.status_code == 200
    assert "at most 200 characters" in too_long.text


def test_it_searches_only_that_reading(client, book, other_book):
    assert "No passage matches" in search(client, other_book, "whale").text


def test_an_unknown_reading_is_404(client, db):
    assert client.get(reverse("readings:reading-search", args=["nope"])).status_code == 404


def test_the_index_follows_edits_and_deletes(book):
    passage = Passage.objects.get(text=CHASE)
    passage.set_text("The narwhal surfaced beside the ship.")
    passage.save()
    assert [h.passage_id for h in passage_hits("narwhal", [book])] == [passage.pk]
    assert passage_hits("nightfall", [book]) == []
    passage.delete()
    assert passage_hits("narwhal", [book]) == []


def test_the_best_match_comes_first(db):
    once = "The ship sailed on and a whale was seen far off by the tired sailors."
    thrice = "The whale, the white whale, the great whale rose at last from the sea."
    reading = save_parsed_reading(make_parsed({"One": [once, thrice]}, "Ranks"))
    hits = passage_hits("whale", [reading])
    assert [h.passage_id for h in hits] == [
        Passage.objects.get(text=thrice).pk,
        Passage.objects.get(text=once).pk,
    ]
    assert {h.in_reading for h in hits} == {2}


def test_the_reader_has_a_search_box_that_goes_to_the_reading_search(client, book):
    page = client.get(reverse("readings:chapter", args=[book.slug, 1])).text
    assert f'action="{reverse("readings:reading-search", args=[book.slug])}"' in page
    assert 'aria-keyshortcuts="/"' in page


def test_the_library_finds_words_in_the_text_grouped_by_reading(client, book, other_book):
    text = client.get(reverse("readings:library"), {"q": "grey water"}).text
    assert "In the text" in text
    assert "Moby-Dick" in text and "Walden" not in text
    assert Passage.objects.get(text=CHASE).get_absolute_url() in text
    # Titles and authors are found as before.
    text = client.get(reverse("readings:library"), {"q": "melville"}).text
    assert "Moby-Dick" in text and "1 reading by title or author" in text


def test_library_search_queries_stay_few(client, book, other_book, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(reverse("readings:library"), {"q": "whale"})


def test_reading_search_queries_stay_few(client, book, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        search(client, book, "whale water")


@pytest.mark.parametrize(
    ("typed", "fts5"),
    [
        ("two words", '"two" AND "words"'),
        ('"an exact phrase" too', '"an exact phrase" AND "too"'),
        ("tomorrow's", '"tomorrow s"'),
        ("whale -boat", '"whale" NOT "boat"'),
        ("whale or shark", '("whale" OR "shark")'),
        ('NEAR( AND "', '"NEAR" AND "AND"'),
        ("-only", ""),
    ],
)
def test_what_people_type_becomes_a_safe_fts5_query(typed, fts5):
    assert fts5_query(typed) == fts5


def test_each_language_has_its_configuration():
    assert search_config("en") == "marginalia_english"
    assert search_config("fr-CA") == "marginalia_french"
    assert search_config("la") == "marginalia_simple"


@pytest.mark.skipif(not on_postgresql(), reason="stemming per language is PostgreSQL's")
def test_on_postgresql_each_reading_is_stemmed_in_its_language(db):
    parsed = make_parsed({"Un": ["Les baleines nageaient dans la mer."]}, "La Mer")
    french = save_parsed_reading(ParsedReading(**{**parsed.__dict__, "language": "fr"}))
    assert len(passage_hits("baleine", [french])) == 1  # French stemming: baleines → baleine
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT search_config::text FROM readings_passage WHERE reading_id = %s",
            [french.pk],
        )
        assert cursor.fetchall() == [("marginalia_french",)]
    french.language = "en"
    french.save(update_fields=["language"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT search_config::text FROM readings_passage WHERE reading_id = %s",
            [french.pk],
        )
        assert cursor.fetchall() == [("marginalia_english",)]


def test_the_migration_and_the_module_agree_on_languages():
    import importlib

    migration = importlib.import_module("readings.migrations.0006_passage_search")
    from readings import search

    assert migration.LANGUAGES == search.LANGUAGES


@pytest.mark.skipif(on_postgresql(), reason="SQLite's triggers go with a rebuilt table")
def test_sqlite_triggers_lost_to_a_table_rebuild_are_remade_after_migrate(book):
    from django.apps import apps
    from django.db.models.signals import post_migrate

    with connection.cursor() as cursor:  # as Django's SQLite schema editor's table rebuild does
        for name in ("insert", "delete", "update"):
            cursor.execute(f"DROP TRIGGER readings_passage_fts_{name}")
    chapter = book.chapters.get(number=1)
    Passage.objects.create(
        reading=book, chapter=chapter, position=9, key="late", text="A lonely albatross."
    )
    assert passage_hits("albatross", [book]) == []
    readings = apps.get_app_config("readings")
    post_migrate.send(sender=readings, app_config=readings, using="default")
    assert len(passage_hits("albatross", [book])) == 1


def test_a_long_passage_is_cut_to_the_words_around_the_match(client, db):
    filler = " ".join(["Nothing much happens in this sentence at all."] * 30)
    text = f"{filler} Then the kraken rose. {filler}"
    reading = save_parsed_reading(make_parsed({"One": [text]}, "Long"))
    html = search(client, reading, "kraken").text
    assert "<mark>kraken</mark>" in html
    snippet = html.split('<p class="search-result__snippet">')[1].split("</p>")[0]
    assert len(snippet) < len(text) / 3
