"""Template helpers for the margin's pages: `{{ when|ago }}` says "just now" or "5 minutes
ago"."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.timesince import timesince

register = template.Library()


def time_ago(when: datetime, now: datetime | None = None) -> str:
    """How long before `now` (by default, now), in words; under a minute is "just now" (not
    "0 minutes ago")."""
    since = timesince(when, now)
    return "just now" if since.startswith(("0\xa0", "0 ")) else f"{since} ago"


@register.filter
def ago(when: datetime | None) -> str:
    """`time_ago`, for templates: empty for no time."""
    return "" if when is None else time_ago(when)
