"""Template helpers for sessions: `{{ circle|viewer_zone:user }}` names the zone the viewer
reads the circle's session times in."""

from __future__ import annotations

from django import template

from circles import planner

register = template.Library()


@register.filter
def viewer_zone(circle, user) -> str:
    """The zone `user` reads the circle's session times in (`planner.viewer_zone`)."""
    return planner.viewer_zone(user, circle)
