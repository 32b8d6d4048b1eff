"""The fragment cache's one rule, in the lowest app so every app may use it (discussions'
`page_cache` keeps its byte-splicing pieces the same way):
values are kept under keys made of version numbers read from the database, so an entry is
never stale, only replaced; each process keeps its own copies (`CACHES["fragments"]`)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import caches

# As discussions.page_cache.FRAGMENT_TIMEOUT: a day; a new version makes a new key anyway.
FRAGMENT_TIMEOUT = 60 * 60 * 24


def cached[T](key: str, make: Callable[[], T]) -> T:
    """The value under `key` (which must name every version it depends on), or `make()`
    stored under it."""
    fragments = caches["fragments"]
    value = fragments.get(key)
    if value is None:
        value = make()
        fragments.set(key, value, FRAGMENT_TIMEOUT)
    return value
