"""Carry a passage's inline markup over a hand edit of its plain text.

A passage's `html` is its `text` with inline tags (emphasis, note references, links). When
someone fixes a typo in the text, `carry_markup` rebuilds the html from the new text and keeps
every tag whose span the edit did not touch: the old text is diffed against the new one, and a
tag survives when everything it wraps lies in one unchanged stretch. A tag whose span was
edited is dropped (its text stays). The result's text content is exactly the new text.

`text_without_note_references` is a passage's text with its note references left out: how a
chapter's heading passage "Bourgeois and Proletarians³" is known to be the chapter's title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html import escape, unescape
from html.parser import HTMLParser

_VOID = frozenset({"br", "wbr", "img"})
_NOTEREF = re.compile(r'<sup><a class="noteref"[^>]*>[^<]*</a></sup>')
_TAG = re.compile(r"<[^>]*>")


@dataclass
class _Element:
    tag: str
    start_tag: str  # the original start tag, attributes and all
    start: int  # offsets in the text
    end: int = -1
    ancestors: frozenset[int] = field(default_factory=frozenset)
    void: bool = False


class _Spans(HTMLParser):
    """The text content of inline html and the span of text each element wraps."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.length = 0
        self.elements: list[_Element] = []
        self.open: list[int] = []
        self.well_formed = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(
            tag,
            self.get_starttag_text() or f"<{tag}>",
            self.length,
            ancestors=frozenset(self.open),
            void=tag in _VOID,
        )
        self.elements.append(element)
        if element.void:
            element.end = self.length
        else:
            self.open.append(len(self.elements) - 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if not self.open or self.elements[self.open[-1]].tag != tag:
            self.well_formed = False
            return
        self.elements[self.open.pop()].end = self.length

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        self.length += len(data)


def _spans(html: str) -> _Spans | None:
    parser = _Spans()
    parser.feed(html)
    parser.close()
    if parser.open or not parser.well_formed:
        return None
    return parser


def carry_markup(old_text: str, old_html: str, new_text: str) -> str:
    """The html for `new_text`, keeping the tags of `old_html` the edit left alone.

    `old_html` must have `old_text` as its text content; otherwise (or if it is not well
    nested) the new html is the new text, escaped.
    """
    parsed = _spans(old_html)
    if parsed is None or "".join(parsed.text) != old_text or not parsed.elements:
        return escape(new_text, quote=False)

    unchanged = [
        (i1, i2, j1)
        for tag, i1, i2, j1, _j2 in SequenceMatcher(
            None, old_text, new_text, autojunk=False
        ).get_opcodes()
        if tag == "equal"
    ]

    def moved(start: int, end: int) -> tuple[int, int] | None:
        """Where a span of the old text lies in the new one, if it lies in one unchanged
        stretch (an empty span, such as an anchor, may sit at either edge of one)."""
        for i1, i2, j1 in unchanged:
            if i1 <= start and end <= i2:
                return j1 + start - i1, j1 + end - i1
        return None

    kept: dict[int, tuple[int, int]] = {}
    for index, element in enumerate(parsed.elements):
        if (span := moved(element.start, element.end)) is not None:
            kept[index] = span

    out: list[str] = []
    pos = 0
    stack: list[int] = []

    def close_to(end: int, tag: str) -> None:
        nonlocal pos
        out.append(escape(new_text[pos:end], quote=False))
        pos = end
        out.append(f"</{tag}>")

    for index, (start, _end) in kept.items():
        element = parsed.elements[index]
        while stack and stack[-1] not in element.ancestors:
            top = stack.pop()
            close_to(kept[top][1], parsed.elements[top].tag)
        out.append(escape(new_text[pos:start], quote=False))
        pos = start
        out.append(element.start_tag)
        if not element.void:
            stack.append(index)
    while stack:
        top = stack.pop()
        close_to(kept[top][1], parsed.elements[top].tag)
    out.append(escape(new_text[pos:], quote=False))
    return "".join(out)


def text_without_note_references(html: str) -> str:
    """The text content of passage `html` without its note references (`<sup><a
    class="noteref">`), whitespace collapsed."""
    return " ".join(unescape(_TAG.sub("", _NOTEREF.sub("", html))).split())
