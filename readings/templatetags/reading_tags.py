from __future__ import annotations

from django import template

from readings.models import reading_minutes

register = template.Library()


@register.filter
def words(count: int | None) -> str:
    """1234 → "1,234 words"."""
    count = count or 0
    return f"{count:,} word{'' if count == 1 else 's'}"


@register.filter
def reading_time(count: int | None) -> str:
    """A word count → "about 6 min read" at about 230 words a minute."""
    minutes = reading_minutes(count or 0)
    if minutes < 60:
        return f"{minutes} min read"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min read" if rest else f"{hours} h read"
