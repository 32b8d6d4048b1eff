"""Clean-ups of an HTML book's tree before its blocks are read: what the printed page or the
e-text's producer added that is not the author's text.

- Project Gutenberg's header and licence (`cut_gutenberg`): everything up to the element
  holding "*** START OF THE PROJECT GUTENBERG EBOOK ..." and from the one holding "*** END
  OF ..." on; what the header says (title, author, eBook number) is kept as metadata.
- Page numbers of the printed edition (`drop_page_numbers`): `<span class="pagenum">{12}</span>`,
  `[Pg 12]`, and `epub:type="pagebreak"` / `role="doc-pagebreak"` markers, often in the
  middle of a sentence.
- Drop caps (`join_drop_caps`): a paragraph opening with its first letter in an element of
  its own (`<span class="letra">I</span>T is`, or an image whose alt text is the letter) gets
  the letter back in its word, and the rest of that word, typed in capitals after the
  initial, back in lower case: "It is".
"""

from __future__ import annotations

import re

from . import gutenberg
from .htmltree import BLOCKS, Element

_PAGE_CLASS = re.compile(r"\b(?:page-?num(?:ber)?s?|pageno|pagenumber|page-?break|pb)\b", re.I)
_PAGE_TEXT = re.compile(r"^\s*[\[{(]?\s*(?:pg\.?|page|p\.)?\s*[ivxlcdm\d]+\s*[\]})]?\s*$", re.I)
# Text longer than this after the start marker in its element means the element is the
# book itself (a file with no markup to speak of), which is then kept.
_MARKER_SLACK = 2000


def block_text(element: Element) -> str:
    """The element's text with a line break between blocks (and at `<br>`), so that lines
    such as a header's "Title: ..." and "Author: ..." stay apart."""
    parts: list[str] = []
    stack: list[Element | str] = [element]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            parts.append(node)
        elif node.tag == "br":
            parts.append("\n")
        elif node.tag not in ("script", "style"):
            if node.tag in BLOCKS:
                parts.append("\n")
                stack.append("\n")
            stack.extend(reversed(node.children))
    return "".join(parts)


def _text_nodes(root: Element):
    """(parent, index, string) for every text node, in document order."""
    stack: list[tuple[Element, int]] = [(root, 0)]
    while stack:
        parent, index = stack.pop()
        if index >= len(parent.children):
            continue
        stack.append((parent, index + 1))
        child = parent.children[index]
        if isinstance(child, str):
            yield parent, index, child
        elif child.tag not in ("script", "style"):
            stack.append((child, 0))


def _holder(parent: Element, root: Element) -> Element:
    """The block a marker's text sits in: its nearest block-level ancestor (or itself)."""
    element = parent
    while element.parent is not None and element is not root and element.tag not in BLOCKS:
        element = element.parent
    return element


def _ancestors(element: Element, root: Element) -> list[Element]:
    chain = [element]
    while chain[-1] is not root and chain[-1].parent is not None:
        chain.append(chain[-1].parent)
    return chain


def _remove_before(element: Element, root: Element, including: bool) -> list[Element | str]:
    """Remove everything before `element` inside `root` (and `element` too when
    `including`); returns what was removed, in document order."""
    removed: list[Element | str] = []
    for node in _ancestors(element, root)[:-1]:
        siblings = node.parent.children
        index = next(i for i, child in enumerate(siblings) if child is node)
        cut = index + 1 if including and node is element else index
        removed[:0] = siblings[:cut]
        del siblings[:cut]
    return removed


def _remove_after(element: Element, root: Element) -> None:
    """Remove `element` and everything after it inside `root`."""
    for node in _ancestors(element, root)[:-1]:
        siblings = node.parent.children
        index = next(i for i, child in enumerate(siblings) if child is node)
        del siblings[index + (0 if node is element else 1) :]


def cut_gutenberg(root: Element) -> gutenberg.GutenbergMeta | None:
    """Remove Project Gutenberg's header and licence from `root` (the body); return what the
    header says, or None when the file has no Gutenberg markers."""
    start = end = None
    for parent, index, text in _text_nodes(root):
        if start is None and gutenberg.START.search(text):
            start = (parent, index, text)
        elif gutenberg.END.search(text):
            end = (parent, index, text)
            break
    if start is None:
        return None
    parent, index, text = start
    holder = _holder(parent, root)
    marker = gutenberg.START.search(text)
    after = text[marker.end() :] if marker else ""
    keep_holder = holder is root or len(block_text(holder)) > _MARKER_SLACK + len(text)
    header_nodes = _remove_before(holder, root, including=not keep_holder)
    if keep_holder:
        parent.children[index] = after
    header = "".join(
        block_text(node) if isinstance(node, Element) else node for node in header_nodes
    )
    marker_at = gutenberg.START.search(header)
    meta = gutenberg.parse_header(header[: marker_at.start()] if marker_at else header)
    if end is not None:
        end_parent, end_index, end_text = end
        end_holder = _holder(end_parent, root)
        if end_holder is root:
            end_parent.children[end_index] = end_text[: gutenberg.END.search(end_text).start()]
            del end_parent.children[end_index + 1 :]
        else:
            _remove_after(end_holder, root)
    return meta


def _is_page_number(element: Element) -> bool:
    if "pagebreak" in element.types:
        return True
    if not _PAGE_CLASS.search(element.get("class")):
        return False
    return element.tag != "div" or bool(_PAGE_TEXT.match(element.text()))


def drop_page_numbers(root: Element) -> None:
    """Remove the printed edition's page numbers (see the module's docstring)."""
    stack = [root]
    while stack:
        element = stack.pop()
        element.children = [
            child
            for child in element.children
            if isinstance(child, str) or not _is_page_number(child)
        ]
        stack.extend(child for child in element.children if isinstance(child, Element))


def _letter_of(element: Element) -> str:
    """The single letter a drop-cap element shows (its text, or an image's alt), else ""."""
    if element.tag == "img":
        text = element.get("alt").strip()
    elif element.tag in ("span", "b", "strong", "big", "font", "em", "i", "a"):
        if any(isinstance(c, Element) and c.tag not in ("span", "img") for c in element.iter()):
            return ""
        text = element.text().strip()
        if not text and (image := element.find("img")) is not None:
            text = image.get("alt").strip()
    else:
        return ""
    return text if len(text) == 1 and text.isalpha() and text.isupper() else ""


_REST_OF_WORD = re.compile(r"^([A-Z]+)(?=[\s,;:.!?’'”\-—])")


def join_drop_caps(root: Element) -> None:
    """Give drop caps back to their words (see the module's docstring)."""
    for paragraph in root.iter("p", "div"):
        children = paragraph.children
        first = next(
            (i for i, c in enumerate(children) if not (isinstance(c, str) and not c.strip())),
            None,
        )
        if first is None or first + 1 >= len(children):
            continue
        initial, following = children[first], children[first + 1]
        if not isinstance(initial, Element) or not isinstance(following, str):
            continue
        letter = _letter_of(initial)
        if not letter or not following[:1].isalpha():
            continue
        rest = _REST_OF_WORD.match(following)
        has_lower = any(ch.islower() for ch in following)
        if rest and has_lower:
            following = rest.group(1).lower() + following[rest.end() :]
        children[first : first + 2] = [letter + following]
