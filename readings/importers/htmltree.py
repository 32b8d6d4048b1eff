"""A small, forgiving element tree built with the standard library's `html.parser`.

Enough for importing documents: tag names are lowercased, namespace prefixes dropped from
tags (`epub:type` attributes keep their name), void elements never take children, a `<p>`
is closed by the next block, and stray end tags are ignored. Every element is charged to the
import's budget (`limits.charge_elements`), so a document of millions of tiny elements is
refused before its tree fills the memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from . import limits

VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_CLOSES_P = BLOCKS
_STOPS_P = _CLOSES_P - {"p"}


@dataclass(slots=True, eq=False)
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = None

    def get(self, name: str, default: str = "") -> str:
        return self.attrs.get(name, default)

    @property
    def types(self) -> set[str]:
        """epub:type values (and role values without the "doc-" prefix)."""
        values = f"{self.get('epub:type')} {self.get('role').removeprefix('doc-')}".split()
        return {value.split(":")[-1] for value in values}

    def iter(self, *tags: str):
        """Descendants (self included) in document order, optionally only these tags."""
        stack: list[Element] = [self]
        while stack:
            element = stack.pop()
            if not tags or element.tag in tags:
                yield element
            stack.extend(
                child for child in reversed(element.children) if isinstance(child, Element)
            )

    def find(self, *tags: str) -> Element | None:
        return next(self.iter(*tags), None)

    def text(self) -> str:
        parts: list[str] = []
        stack: list[Element | str] = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                parts.append(node)
            elif node.tag not in ("script", "style"):
                stack.extend(reversed(node.children))
        return "".join(parts)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.split(":")[-1]
        if tag in _CLOSES_P:
            self._close_up_to("p", stop=_STOPS_P)
        if tag == "li":
            self._close_up_to("li", stop={"ul", "ol"})
        if tag in ("dt", "dd"):
            self._close_up_to("dt", stop={"dl"})
            self._close_up_to("dd", stop={"dl"})
        if tag in ("tr", "td", "th"):
            if tag == "tr":
                self._close_up_to("tr", stop={"table", "tbody", "thead", "tfoot"})
            else:
                self._close_up_to("td", stop={"tr", "table"})
                self._close_up_to("th", stop={"tr", "table"})
        limits.charge_elements()
        element = Element(tag, {k.lower(): v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        tag = tag.split(":")[-1]
        if tag not in VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def _close_up_to(self, tag: str, stop: set[str]) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            current = self.stack[index].tag
            if current == tag:
                del self.stack[index:]
                return
            if current in stop:
                return

    def handle_endtag(self, tag: str) -> None:
        tag = tag.split(":")[-1]
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


# A marked section other than CDATA ("<![if ...]>", "<![0") trips the standard library's
# parser (an AssertionError); browsers show it as text, and so do we.
_MARKED_SECTION = re.compile(r"<!\[(?!CDATA\[)")


def parse_tree(markup: str) -> Element:
    """Parse HTML or XHTML into an Element tree (never raises on bad markup)."""
    builder = _TreeBuilder()
    try:
        builder.feed(markup)
    except AssertionError:
        builder = _TreeBuilder()
        builder.feed(_MARKED_SECTION.sub("&lt;![", markup))
    builder.close()
    return builder.root
