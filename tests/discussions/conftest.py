"""A circle with a margin to moderate: one person in each role, and a few extra readers."""

from __future__ import annotations

import pytest

from tests.factories import Margin, make_user


@pytest.fixture
def readers(margin: Margin) -> list:
    """Three more active members of the margin's circle."""
    people = [make_user(f"reader.{n}@example.org", display_name=f"Reader {n}") for n in range(3)]
    for person in people:
        margin.circle.add_member(person)
    return people
