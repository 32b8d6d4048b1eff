"""Anchors as W3C Web Annotation selectors scoped to one passage.

An anchor is `start`/`end` offsets into `Passage.text` plus the quoted words (`exact`) and up
to `CONTEXT` characters of context on each side (`prefix`, `suffix`). The server derives the
quote and the context from the passage text (`make_selector`); a client only ever sends
offsets. Finding an anchor again after the text changed is `discussions.anchoring`'s work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Characters of context kept on each side of a quote.
CONTEXT = 32
ORPHANED = "orphaned"


class BadAnchor(ValueError):
    """The offsets sent for a new comment do not describe a selection in the passage."""


@dataclass(frozen=True)
class Selector:
    """A place in a passage: offsets (None for the whole passage), the quote and its context."""

    start: int | None
    end: int | None
    exact: str = ""
    prefix: str = ""
    suffix: str = ""

    @property
    def is_whole_passage(self) -> bool:
        return self.start is None


def make_selector(
    text: str, start: int | None, end: int | None, context: int = CONTEXT
) -> Selector:
    """The selector for `text[start:end]`, derived from the passage text alone.

    Both offsets None means the whole passage. Otherwise they must be integers with
    0 <= start < end <= len(text); whitespace around the selection is trimmed (the offsets
    move with it) and a selection of only whitespace is refused. Raises `BadAnchor`.
    """
    if start is None and end is None:
        return Selector(None, None)
    if start is None or end is None:
        raise BadAnchor("Give both a start and an end offset, or neither for the whole passage.")
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadAnchor(f"The {name} offset must be a whole number, not {value!r}.")
    if start < 0 or end < 0:
        raise BadAnchor("Offsets cannot be negative.")
    if start >= end:
        raise BadAnchor(f"The selection is empty: its start ({start}) must come before its end.")
    if end > len(text):
        raise BadAnchor(
            f"The selection ends at {end}, beyond the passage ({len(text)} characters)."
        )
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise BadAnchor("The selection contains only whitespace.")
    return selector_at(text, start, end, context)


def selector_at(text: str, start: int, end: int, context: int = CONTEXT) -> Selector:
    """The selector of `text[start:end]` as it stands (no checks, no trimming)."""
    return Selector(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def to_web_annotation(comment: Any, page_url: str) -> dict:
    """The comment's anchor as a W3C Web Annotation target.

    `page_url` is a page that holds the passage's text as the element `#pt-<key>` (the
    passage's own page, or the circle's chapter page), whose text content is exactly
    `Passage.text`. The page around it has the site's header, the margin's buttons and
    counts, and the threads with their quotes (an orphaned thread's quote is no longer in
    the passage, only in that list), so the selectors are scoped to that element: a client
    that follows them cannot match the app's own words. The scope is named twice, as
    alternatives (the model's `selector` list): a FragmentSelector (the element's id) and a
    CssSelector (`#pt-<key>`), for clients that know only one of them. Each is `refinedBy` a
    TextQuoteSelector and, while the offsets are valid in the current text (not orphaned), a
    TextPositionSelector counted in characters (code points) from the start of the passage
    text. A whole-passage anchor is the scope alone.
    """
    element = f"pt-{comment.passage_key}"
    scopes: list[dict] = [
        {
            "type": "FragmentSelector",
            "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
            "value": element,
        },
        {"type": "CssSelector", "value": f"#{element}"},
    ]
    target: dict = {"source": page_url, "selector": scopes}
    if comment.anchor_start is None and not comment.anchor_exact:
        return target
    refinements: list[dict] = [
        {
            "type": "TextQuoteSelector",
            "exact": comment.anchor_exact,
            "prefix": comment.anchor_prefix,
            "suffix": comment.anchor_suffix,
        }
    ]
    if comment.anchor_start is not None and comment.anchor_status != ORPHANED:
        refinements.append(
            {
                "type": "TextPositionSelector",
                "start": comment.anchor_start,
                "end": comment.anchor_end,
            }
        )
    for scope in scopes:
        scope["refinedBy"] = refinements
    return target
