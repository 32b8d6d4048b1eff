"""PostgreSQL restarting: the connections the app holds die with it, and the next request
must get a working one from the pool (which checks each before handing it out), not a 500.

A restart is played by ending every connection to the test database
(`pg_terminate_backend`, on the test's own database only: CI shares its server) between two
requests to a real server (the test client keeps one connection outside the pool)."""

from __future__ import annotations

import urllib.request

import psycopg
import pytest
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
    assert get(url)[0] == 200
    connection.close()  # this thread's, back to the pool: it dies there too

    assert terminate_app_connections() >= 1

    status, page = get(url)
    assert status == 200
    assert circle.name in page
