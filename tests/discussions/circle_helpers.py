"""Circles with one person in each role, shared by the circle, member and invite tests."""

from __future__ import annotations

import pytest

from discussions.models import Circle, Role
from tests.factories import make_circle


def circle_with_roles(organizer, moderator, member, *, private: bool = False, **kwargs) -> Circle:
    name = kwargs.pop("name", "Private Readers" if private else "Public Readers")
    circle = make_circle(organizer, name=name, private=private, **kwargs)
    circle.add_member(moderator, Role.MODERATOR)
    circle.add_member(member)
    return circle


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    """Hash test passwords quickly (import this fixture into a test module to use it)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
