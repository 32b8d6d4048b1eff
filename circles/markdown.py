"""User Markdown → safe HTML, once, at save time.

CommonMark through markdown-it-py with raw HTML off, then nh3 as the single sanitizer: a
short list of tags, links limited to http(s)/mailto with `rel="nofollow ugc noopener"`, no
images. The result is stored and rendered as is (inside an `hx-disable` element).
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "a", "code", "pre", "blockquote", "ul", "ol", "li",
    "h3", "h4", "h5", "h6", "hr", "del", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable("image")
# Headings inside user text are demoted so they never outrank the page's own headings.
_HEADING_SHIFT = {f"h{level}": f"h{min(level + 2, 6)}" for level in range(1, 7)}


def _demote_headings(renderer, tokens, idx, options, env) -> str:
    token = tokens[idx]
    token.tag = _HEADING_SHIFT.get(token.tag, token.tag)
    return renderer.renderToken(tokens, idx, options, env)


_markdown.add_render_rule("heading_open", _demote_headings)
_markdown.add_render_rule("heading_close", _demote_headings)


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Markdown from a person → sanitized HTML, ready to store."""
    return sanitize_html(_markdown.render(text or "")).strip()
