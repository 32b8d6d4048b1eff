"""The Redis cache (`config.cache.RedisCache`, used when REDIS_URL is set) counts several
posting windows in one round trip, keeps each counter's expiry, and leaves missing ones out;
the posting limits hold on it as on the database cache. Runs against the Redis server of the
machine (REDIS_URL, or 127.0.0.1:6379), in a database of its own."""

from __future__ import annotations

import os
import uuid

import pytest
from django.utils import timezone

from config.cache import RedisCache
from discussions import limits

URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.one_database,
    pytest.mark.skipif(not _reachable(), reason=f"no Redis server at {URL}"),
]


@pytest.fixture
def cache():
    cache = RedisCache(URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_incr_each_counts_the_counters_that_exist(cache):
    cache.add("minute", 1, 60)
    cache.add("day", 5, 86400)
    assert cache.incr_each(["minute", "day", "never"]) == {"minute": 2, "day": 6}
    assert cache.get("never") is None
    client = cache._cache.get_client(write=True)
    assert 0 < client.ttl(cache.make_key("minute")) <= 60


def test_the_posting_limits_hold_on_redis(cache, settings):
    settings.COMMENTS_PER_MINUTE = 3
    settings.COMMENTS_PER_DAY = 5

    class Person:
        pk = 7
        time_zone = "UTC"

    now = timezone.now().replace(second=1)
    slots = [limits.take_slot(Person, cache=cache, now=now) for _ in range(3)]
    with pytest.raises(limits.TooManyPosts):
        limits.take_slot(Person, cache=cache, now=now)
    slots[0].release()  # not saved: it does not count
    limits.take_slot(Person, cache=cache, now=now)
    assert limits.posts_counted(Person, limits.MINUTE, cache=cache, now=now) == 3
    assert limits.posts_counted(Person, limits.DAY, cache=cache, now=now) == 3
