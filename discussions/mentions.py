"""Comment bodies: Markdown rendered and sanitized once, at save, with @mentions linked.

Mentions: `@[Any Name]` or, for names without spaces, `@Name` (case-insensitive) of an active
member of the circle becomes a link to the circle's member list; anything else stays text.
"""

from __future__ import annotations

import re
from html import unescape

from django.urls import reverse
from django.utils.html import escape

from circles.markdown import render_markdown
from circles.models import Circle, Membership

# `@Name` (letters, digits, dots and hyphens inside, never at the end: "Ask @Mina." mentions
# Mina) or `@[Full Name]`.
_MENTION = re.compile(r"(?<![\w@&])@(?:\[([^\]\n<>]{1,80})\]|(\w(?:[\w.\-]{0,78}\w)?))")
_TAG = re.compile(r"(<[^>]*>)")


def _member_names(circle: Circle) -> dict[str, int]:
    """Active members' display names (lower-cased) → user id, in one query."""
    names: dict[str, int] = {}
    rows = Membership.objects.active().filter(circle=circle).select_related("user")
    for membership in rows.only("user__display_name", "user__email", "user_id"):
        names.setdefault(membership.user.name.casefold(), membership.user_id)
    return names


def link_mentions(
    html: str,
    circle: Circle,
    names: dict[str, int] | None = None,
    mentioned: set[int] | None = None,
) -> str:
    """Turn `@Name` / `@[Full Name]` of the circle's members into links to its member list,
    adding the ids of the members linked to `mentioned` if given.

    Works on sanitized HTML: only text outside links and code is touched, and the link is
    built here from escaped text (the sanitizer ran before; nothing a person typed becomes an
    attribute)."""
    if "@" not in html:
        return html
    names = _member_names(circle) if names is None else names
    if not names:
        return html
    href = reverse("circles:circle", args=[circle.slug]) + "#members-heading"
    out: list[str] = []
    skip = 0  # depth inside <a>, <code> or <pre>
    for part in _TAG.split(html):
        if part.startswith("<"):
            tag = part[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if part[1:] else ""
            if tag in {"a", "code", "pre"}:
                skip += -1 if part.startswith("</") else 1
            out.append(part)
        elif skip > 0 or "@" not in part:
            out.append(part)
        else:

            def replace(match: re.Match) -> str:
                name = unescape(match.group(1) or match.group(2))
                user_id = names.get(name.casefold())
                if user_id is None:
                    return match.group(0)
                if mentioned is not None:
                    mentioned.add(user_id)
                return f'<a class="mention" href="{href}">@{escape(name)}</a>'

            out.append(_MENTION.sub(replace, part))
    return "".join(out)


def render_body(body: str, circle: Circle, mentioned: set[int] | None = None) -> str:
    """Markdown → sanitized HTML with the circle's mentions linked (once, at save); the ids of
    the members mentioned are added to `mentioned` if given."""
    return link_mentions(render_markdown(body), circle, mentioned=mentioned)
