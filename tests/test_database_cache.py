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


def test_incr_each_counts_the_counters_that_exist_in_two_statements(
    django_assert_max_num_queries,
):
    """A post counted in the minute's and the day's windows: both counters in one UPDATE
    that reads them and one that writes them (plus the transaction's savepoint)."""
    cache = caches["default"]
    with time_machine.travel("2026-11-22 10:00:00 +00:00", tick=False):
        cache.add("minute", 1, 60)
        cache.add("day", 5, 86400)
        cache.add("gone", 1, 10)
    with time_machine.travel("2026-11-22 10:00:30 +00:00", tick=False):
        with django_assert_max_num_queries(4) as captured:
            assert cache.incr_each(["minute", "day", "gone", "never"]) == {"minute": 2, "day": 6}
        assert sum("UPDATE" in query["sql"] for query in captured.captured_queries) == 2
        assert (cache.get("minute"), cache.get("day"), cache.get("gone")) == (2, 6, None)
    with time_machine.travel("2026-11-22 10:00:59 +00:00", tick=False):
        assert cache.get("minute") == 2  # its expiry kept
    with time_machine.travel("2026-11-22 10:01:01 +00:00", tick=False):
        assert cache.incr_each(["minute", "day"]) == {"day": 7}
