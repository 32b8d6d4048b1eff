"""`{% section "name" key=value … %}`: what the apps above fill a named section with (see
`accounts.sections`)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from accounts import sections

register = template.Library()


@register.simple_tag(takes_context=True)
def section(context, name: str, **arguments) -> SafeString:
    return sections.render(name, context.get("request"), **arguments)
