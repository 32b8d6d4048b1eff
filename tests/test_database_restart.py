"""PostgreSQL restarting: the connections the app holds die with it, and the next request
must get a working one from the pool (which checks each before handing it out), not a 500.

A restart is played by ending every connection to the test database
(`pg_terminate_backend`, on the test's own database only: CI shares its server) between two
requests to a real server (the test client keeps one connection outside the pool)."""

from __future__ import annotations

import urllib.request

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import on_postgresql

pytestmark = [
    pytest.mark.skipif(not on_postgresql(), reason="PostgreSQL's connections and pool"),
    pytest.mark.django_db(transaction=True),
]


def terminate_app_connections() -> int:
    """End every other connection to this test database, as a restart would; how many."""
    params = connection.settings_dict
    with psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"],
        port=params["PORT"] or None,
        autocommit=True,
    ) as admin:
        row = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    return row[0]


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read().decode()


def test_the_request_after_the_database_restarted_succeeds(live_server, circle):
    url = live_server.url + circle.get_absolute_url()
    # Often enough that the page's statements are prepared on the pooled connection
    # (DATABASE_PREPARE_THRESHOLD): a new connection prepares them anew.
    for _ in range(settings.DATABASES["default"]["OPTIONS"].get("prepare_threshold", 1) + 1):
        assert get(url)[0] == 200
    connection.close()  # this thread's, back to the pool: it dies there too

    assert terminate_app_connections() >= 1

    for _ in range(3):
        status, page = get(url)
        assert status == 200
        assert circle.name in page


def prepared_statements() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return cursor.fetchone()[0]


def test_statements_are_prepared_once_they_repeat_and_survive_a_new_column(circle):
    """A query run `prepare_threshold` times on a connection is prepared there (parsed and
    planned once); a column added meanwhile (a migration while the app runs) does not break
    it, since every query names its columns."""
    from circles.models import Circle

    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    before = prepared_statements()
    for _ in range(threshold + 1):
        assert Circle.objects.filter(slug=circle.slug).get() == circle
    assert prepared_statements() > before
    table = Circle._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} ADD COLUMN added_meanwhile int")
    try:
        assert Circle.objects.filter(slug=circle.slug).get() == circle
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} DROP COLUMN added_meanwhile")
