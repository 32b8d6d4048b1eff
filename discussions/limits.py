"""Abuse limits on writing in the margins.

Posting: one person may post `COMMENTS_PER_MINUTE` comments and replies a minute and
`COMMENTS_PER_DAY` a day, in all circles together (0 turns a limit off).
- The windows are fixed on the clock: each minute from :00 seconds, each day from midnight UTC.
  A person's count in a window is one entry in the default cache (the database cache, or
  Redis), which every process shares; its key holds the window's number, so the next window
  starts from zero and old entries just expire.
- `take_slot` counts a post in every window *before* it is saved, with an atomic
  add-or-increment, so that two processes posting at once never both get the last slot. A post
  over a limit is refused and its count given back; so is a post that is not saved
  (`Slot.release`): only comments that exist count.

Links: an account younger than `NEW_ACCOUNT_HOURS` may put at most `NEW_ACCOUNT_MAX_LINKS`
links in a comment (`links_refusal`), counted in the sanitized HTML, so that Markdown links and
<autolinks> count alike and the @mention links the app adds do not.
"""

from __future__ import annotations

import contextlib
import math
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.utils import dateformat, timezone


@dataclass(frozen=True)
class Window:
    name: str
    seconds: int
    setting: str

    @property
    def limit(self) -> int:
        return getattr(settings, self.setting)

    def number(self, now: datetime) -> int:
        return int(now.timestamp()) // self.seconds

    def ends_at(self, now: datetime) -> datetime:
        return datetime.fromtimestamp((self.number(now) + 1) * self.seconds, tz=UTC)

    def key(self, user, now: datetime) -> str:
        return f"limits:comments:{self.name}:{user.pk}:{self.number(now)}"


MINUTE = Window("minute", 60, "COMMENTS_PER_MINUTE")
DAY = Window("day", 24 * 60 * 60, "COMMENTS_PER_DAY")
WINDOWS = (MINUTE, DAY)


class TooManyPosts(Exception):
    """A post over a limit. The message says which, and when the person may post again;
    `retry_after` is that in seconds (for the Retry-After header)."""

    def __init__(self, user, window: Window, limit: int, now: datetime) -> None:
        self.window = window
        self.limit = limit
        self.resets_at = window.ends_at(now)
        self.retry_after = max(1, math.ceil((self.resets_at - now).total_seconds()))
        if window is MINUTE:
            message = (
                f"You have posted {limit} comment{_s(limit)} in the last minute. "
                f"You can post again in {self.retry_after} second{_s(self.retry_after)}."
            )
        else:
            started = self.resets_at - timedelta(seconds=window.seconds)
            message = (
                f"You have posted {limit} comment{_s(limit)} since "
                f"{local_time(started, user, now)}, the most for one {window.name}. "
                f"You can post again at {local_time(self.resets_at, user, now)}."
            )
        super().__init__(message)


@dataclass
class Slot:
    """One post counted in every window."""

    cache: BaseCache
    keys: list[str] = field(default_factory=list)

    def release(self) -> None:
        """Give the post's count back: it was refused, or not saved."""
        for key in self.keys:
            with contextlib.suppress(ValueError):  # the window is over: nothing to give back
                self.cache.decr(key)
        self.keys = []


def take_slot(user, *, cache: BaseCache | None = None, now: datetime | None = None) -> Slot:
    """Count one post by `user` in every window, or raise `TooManyPosts` (counting nothing)
    when it would go over a limit."""
    cache = cache or caches["default"]
    now = now or timezone.now()
    slot = Slot(cache)
    over: list[tuple[Window, int]] = []
    windows = [window for window in WINDOWS if window.limit > 0]
    keys = [window.key(user, now) for window in windows]
    counted = _incr_each(cache, keys)  # the counters that exist, in one round trip
    for window, key in zip(windows, keys, strict=True):
        # Kept a minute past its window, so a slot taken at the end can still be given back.
        timeout = math.ceil((window.ends_at(now) - now).total_seconds()) + 60
        count = counted[key] if key in counted else _add_one(cache, key, timeout)
        slot.keys.append(key)
        if count > window.limit:
            over.append((window, window.limit))
    if over:
        slot.release()
        window, limit = max(over, key=lambda pair: pair[0].ends_at(now))
        raise TooManyPosts(user, window, limit, now)
    return slot


def posts_counted(
    user, window: Window, *, cache: BaseCache | None = None, now: datetime | None = None
) -> int:
    """How many posts `user` has made in the current `window`."""
    cache = cache or caches["default"]
    return cache.get(window.key(user, now or timezone.now()), 0)


def _incr_each(cache: BaseCache, keys: list[str]) -> dict[str, int]:
    """Add one to each counter of `keys` that exists: {key: new value}. The project's caches
    do it in one round trip (`config.cache`); any other, one key at a time."""
    if not keys:
        return {}
    if hasattr(cache, "incr_each"):
        return cache.incr_each(keys)
    counted = {}
    for key in keys:
        with contextlib.suppress(ValueError):  # not there: `_add_one` makes it
            counted[key] = cache.incr(key)
    return counted


def _add_one(cache: BaseCache, key: str, timeout: int) -> int:
    """Add one to the counter at `key`, which starts at 1 (expiring after `timeout` seconds)
    when it does not exist. Atomic: `incr` is (see config/cache.py for the database cache),
    and `add` never overwrites another process's counter."""
    for _ in range(3):
        try:
            return cache.incr(key)
        except ValueError:
            pass  # not there yet, or it has just expired
        if cache.add(key, 1, timeout):
            return 1
        # Another process made it between our incr and add: count in it.
    # Made and expired twice in a row, which a working cache does not do.
    raise RuntimeError(f"The cache does not keep the counter {key}.")


# --- links ------------------------------------------------------------------------------------

# Links in sanitized comment HTML; the sanitizer keeps no `class`, so `class="mention"` marks
# the links the app made from @mentions.
_LINK = re.compile(r'<a\s(?![^>]*\bclass="mention")[^>]*\bhref="', re.IGNORECASE)


def count_links(html: str) -> int:
    """Links in a comment's sanitized HTML, not counting the @mention links the app adds."""
    return len(_LINK.findall(html))


def links_refusal(user, html: str, *, now: datetime | None = None) -> str:
    """Why a comment (as sanitized HTML) by `user` has too many links for a new account, or
    "" when it may be posted."""
    limit = settings.NEW_ACCOUNT_MAX_LINKS
    links = count_links(html)
    if links <= limit:
        return ""
    now = now or timezone.now()
    hours = settings.NEW_ACCOUNT_HOURS
    lifts_at = user.date_joined + timedelta(hours=hours)
    if now >= lifts_at:
        return ""
    allowed = f"at most {limit} link{_s(limit)}" if limit else "no links"
    age = "a day" if hours == 24 else f"{hours} hour{_s(hours)}"
    return (
        f"A new account may put {allowed} in a comment, and this one has {links}. "
        f"The limit lifts at {local_time(lifts_at, user, now)}, when your account is {age} old."
    )


# --- wording ----------------------------------------------------------------------------------


def local_time(moment: datetime, user, now: datetime) -> str:
    """`moment` in `user`'s time zone, as "14:05", "14:05 tomorrow" or "14:05 on 3 March"."""
    try:
        zone = zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = UTC
    local = moment.astimezone(zone)
    text = dateformat.format(local, "H:i")
    days = (local.date() - now.astimezone(zone).date()).days
    if days == 1:
        return f"{text} tomorrow"
    if days == -1:
        return f"{text} yesterday"
    if days:
        return f"{text} on {dateformat.format(local, 'j F')}"
    return text


def _s(count: int) -> str:
    return "" if count == 1 else "s"
