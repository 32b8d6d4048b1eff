"""The database cache (config/cache.py) counts as Redis does: an increment keeps the entry's
expiry, and an expired or missing counter is not there to count."""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import caches

pytestmark = pytest.mark.django_db


def test_counting_keeps_the_expiry():
    cache = caches["default"]
    with time_machine.travel("2026-11-22 10:00:00 +00:00", tick=False):
        assert cache.add("posts", 1, 3600)
    with time_machine.travel("2026-11-22 10:10:00 +00:00", tick=False):
        assert cache.incr("posts") == 2
        assert cache.decr("posts") == 1
        assert cache.incr("posts", 5) == 6
    # Django's own database cache would have moved the expiry to five minutes after 10:10.
    with time_machine.travel("2026-11-22 10:59:59 +00:00", tick=False):
        assert cache.get("posts") == 6
    with time_machine.travel("2026-11-22 11:00:01 +00:00", tick=False):
        with pytest.raises(ValueError):
            cache.incr("posts")
        assert cache.get("posts") is None


def test_a_missing_counter_cannot_be_counted():
    with pytest.raises(ValueError):
        caches["default"].incr("never-made")
