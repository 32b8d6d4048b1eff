"""The people of STYLE.md, shared by every test."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from accounts.models import User
from tests.factories import make_user


@pytest.fixture(autouse=True)
def fresh_fragments() -> None:
    """Fragment keys hold database ids and versions, which a rolled-back test may reuse."""
    caches["fragments"].clear()


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
