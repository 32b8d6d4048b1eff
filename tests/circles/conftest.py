"""Fixtures of the circles tests. The circle they share (`circle`, public, reading Walden) and
the people are in tests/conftest.py; a test file that needs the circle elsewhere or with more
in it overrides `circle` from that one."""

from __future__ import annotations

import pytest

from circles.models import Circle
from tests.factories import make_circle, make_reading


@pytest.fixture
def six_chapter_circle(organizer) -> Circle:
    """A circle in London reading six chapters of 400 words: room for a planned schedule
    across the spring clock change."""
    reading = make_reading("Six Chapters", chapters=6, words=400)
    return make_circle(organizer, readings=[reading], time_zone="Europe/London")


@pytest.fixture
def hidden_garden(organizer) -> Circle:
    """A private circle with no readings, joined by invitation or request."""
    return make_circle(organizer, name="Hidden Garden", private=True)
