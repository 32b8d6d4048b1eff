"""The people of STYLE.md, shared by every test."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from accounts.models import User
from tests.factories import make_user


@pytest.fixture(autouse=True)
def fresh_caches(request: pytest.FixtureRequest) -> None:
    """Fragment keys hold database ids and versions, which a rolled-back test may reuse; the
    shared cache holds posting counters and allauth's rate limits, which a transactional test
    (or Redis) would leave to the next test. Clearing the database cache needs the test's
    database, so it is cleared in tests that use one."""
    caches["fragments"].clear()
    names = set(request.fixturenames)
    if {"transactional_db", "live_server"} & names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    caches["default"].clear()


@pytest.fixture
def posting_unlimited(settings) -> None:
    """For tests that build many comments by one person at once: no posting limits."""
    settings.COMMENTS_PER_MINUTE = 0
    settings.COMMENTS_PER_DAY = 0


@pytest.fixture
def organizer(db) -> User:
    return make_user("olive.organizer@example.org", display_name="Olive")


@pytest.fixture
def moderator(db) -> User:
    return make_user("max.moderator@example.org", display_name="Max")


@pytest.fixture
def member(db) -> User:
    return make_user("mina.member@example.org", display_name="Mina")


@pytest.fixture
def outsider(db) -> User:
    return make_user("oscar.outsider@example.org", display_name="Oscar")


@pytest.fixture
def staff(db) -> User:
    return make_user("sam.staff@example.org", display_name="Sam", is_staff=True, is_superuser=True)
