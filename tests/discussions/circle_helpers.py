"""Circles with one person in each role, shared by the circle, member and invite tests."""

from __future__ import annotations

from circles.models import Circle, Role
from tests.factories import make_circle


def circle_with_roles(organizer, moderator, member, *, private: bool = False, **kwargs) -> Circle:
    name = kwargs.pop("name", "Private Readers" if private else "Public Readers")
    circle = make_circle(organizer, name=name, private=private, **kwargs)
    circle.add_member(moderator, Role.MODERATOR)
    circle.add_member(member)
    return circle
