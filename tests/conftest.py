"""The people every test shares (an organizer, a moderator, a member, an outsider, staff),
and the circle and margin they meet in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.cache import caches

from accounts.models import User
from circles.models import Circle
from tests.factories import Margin, make_circle, make_margin, make_reading, make_user

# Tests whose outcome does not depend on the database run once, in the SQLite run (CI runs
# the suite on PostgreSQL first, then on SQLite): the browser tests (`e2e`), the importers'
# parsing (tests/readings/importers/), and those marked `one_database` (HTML validity, the
# corpora).
ONCE_UNDER = Path(__file__).parent / "readings" / "importers"


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(ONCE_UNDER):
            item.add_marker(pytest.mark.one_database)
    if not on_postgresql():
        return
    once = [item for item in items if item.get_closest_marker("one_database")]
    once += [item for item in items if item.get_closest_marker("e2e")]
    if once:
        config.hook.pytest_deselected(items=once)
        ids = {id(item) for item in once}
        items[:] = [item for item in items if id(item) not in ids]


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


@pytest.fixture
def margin(organizer, moderator, member) -> Margin:
    """A public circle reading a three-chapter book, one person in each role and a banned one."""
    return make_margin(organizer, moderator, member)


@pytest.fixture
def private_margin(organizer, moderator, member) -> Margin:
    return make_margin(organizer, moderator, member, private=True)


@pytest.fixture
def circle(organizer, member) -> Circle:
    """A public circle (in UTC) reading Walden, four chapters: its organizer and a member."""
    circle = make_circle(organizer, readings=[make_reading("Walden", chapters=4)])
    circle.add_member(member)
    return circle
