"""Sections: named places on a lower app's page that an app above it fills.

A page of `circles` may show what `discussions` owns (a circle's recent threads, its open
flags), and `readings`' pages what `circles` owns; but a lower app never imports a higher one.
So the lower app names a section in its template, `{% section "circles.circle.discussion"
circle=circle %}` (after `{% load sections %}`), and lists its sections in its `sections.py`;
the higher app registers what fills each one in its `AppConfig.ready()`:

    sections.register("circles.circle.discussion", recent_discussion)

A filler is called with the request and the section's keyword arguments and returns HTML
(rendered from its own template). A section nobody fills is empty; several fillers render in
the order they registered. The work is done only if the page shows the section.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

Filler = Callable[..., str]

_fillers: dict[str, list[Filler]] = {}


def register(name: str, filler: Filler) -> None:
    """Have `filler(request, **arguments)` fill the section `name` (once, however often
    `ready()` runs)."""
    fillers = _fillers.setdefault(name, [])
    if filler not in fillers:
        fillers.append(filler)


def render(name: str, request: HttpRequest | None, **arguments) -> SafeString:
    """What fills the section `name` on this request's page."""
    return mark_safe("".join(str(fill(request, **arguments)) for fill in _fillers.get(name, [])))
