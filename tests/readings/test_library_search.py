"""Library search: quotes, apostrophes, accents and punctuation make no difference."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from readings.models import Reading, search_key
from readings.services import save_parsed_reading
from tests.readings.conftest import make_parsed, paragraphs

URL = reverse("readings:library")


def test_the_search_key_drops_quotes_accents_and_punctuation():
    assert search_key("All Tomorrow’s Parties: A Reply") == "all tomorrows parties a reply"
    assert search_key("Tomorrow's") == search_key("tomorrows") == "tomorrows"
    assert search_key("Pham Bình, C.D. Varn — dual-power") == "pham binh c d varn dual power"


@pytest.fixture
def readings(db):
    return [
        save_parsed_reading(
            make_parsed({"A": paragraphs(2)}, title="All Tomorrow’s Parties: A Reply to Critics")
        ),
        save_parsed_reading(
            make_parsed({"A": paragraphs(2)}, title="Dual Power", author="C.D. Varn")
        ),
    ]


@pytest.mark.parametrize(
    "query", ["Tomorrow's", "tomorrows", "Tomorrow’s parties", "TOMORROW", "parties: a reply"]
)
def test_apostrophes_and_punctuation_in_the_query_still_find_the_title(client, readings, query):
    text = client.get(URL, {"q": query}).text
    assert "All Tomorrow’s Parties" in text
    assert "Dual Power" not in text


def test_authors_are_searched_the_same_way(client, readings):
    text = client.get(URL, {"q": "c.d. varn"}).text
    assert "Dual Power" in text and "Tomorrow" not in text


def test_a_renamed_reading_is_found_by_its_new_title(readings):
    reading = readings[1]
    reading.title = "Expertise and Dual Power’s Limits"
    reading.save(update_fields=["title"])
    assert list(Reading.objects.search("powers limits")) == [reading]


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_search_text_of_existing_readings():
    executor = MigrationExecutor(connection)
    executor.migrate([("readings", "0001_initial")])
    old_apps = executor.loader.project_state([("readings", "0001_initial")]).apps
    old_apps.get_model("readings", "Reading").objects.create(
        title="All Tomorrow’s Parties", slug="parties", author="An Editor"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Reading.objects.get(slug="parties").search_text == "all tomorrows parties an editor"
