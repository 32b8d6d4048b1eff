"""HTML elements → passage blocks, shared by the HTML and EPUB importers.

Block elements give blocks: h1–h6 and hgroup headings ("I: Bourgeois and Proletarians"),
p paragraphs, blockquote quotes (verse when marked as a poem), li list items, pre verse,
table rows (cells joined by " | "). Loose text inside a container becomes a paragraph.
Only inline markup survives (em, strong, sup, sub, code, external links). Note references
(`epub:type="noteref"`, `role="doc-noteref"`, class "noteref"/"footnote-ref") and the notes
they point at are found first, across all documents, so that each note knows its label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import limits
from .htmltree import BLOCKS, Element
from .inline import InlineBuilder, collapse, label_id
from .structure import Block

CHROME = frozenset({"nav", "header", "footer", "aside"})
NEVER = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "form",
        "button",
        "iframe",
        "object",
        "video",
        "audio",
        "canvas",
        "select",
        "textarea",
        "input",
        "img",
        "head",
        "title",
    ]
)
_EMPHASIS = {"em": "em", "i": "em", "cite": "em", "dfn": "em", "var": "em", "strong": "strong"}
_EMPHASIS["b"] = "strong"
_KEEP = {"sup": "sup", "sub": "sub", "code": "code", "kbd": "code", "samp": "code", "tt": "code"}
_NOTE_TYPES = frozenset({"footnote", "endnote", "rearnote", "note"})
_POEM = re.compile(r"\b(?:poem|verse|song|hymn)\b", re.IGNORECASE)


def _fragment(href: str) -> str:
    return href.partition("#")[2]


def is_noteref(element: Element) -> bool:
    if element.tag != "a":
        return False
    classes = element.get("class")
    return (
        "noteref" in element.types
        or "noteref" in classes
        or "footnote-ref" in classes
        or "footnote-reference" in classes
        or "fnanchor" in classes.split()
    ) and bool(_fragment(element.get("href")))


@dataclass
class NoteMap:
    """Which note each reference points at, and the label shown for it."""

    label_by_target: dict[str, str] = field(default_factory=dict)
    ident_by_target: dict[str, str] = field(default_factory=dict)
    # The ids of the references themselves: a link back to one of them is a note's backlink.
    reference_ids: set[str] = field(default_factory=set)

    def is_backlink(self, element: Element) -> bool:
        """A note's link back to its reference ("↩", or Gutenberg's "[1]" before the note):
        marked as such, or pointing at a reference's id."""
        if element.tag != "a":
            return False
        classes = element.get("class")
        return (
            "backlink" in element.types
            or "footnote-back" in classes
            or "fn-back" in classes
            or (bool(self.reference_ids) and _fragment(element.get("href")) in self.reference_ids)
        )

    def note_id(self, element: Element) -> str:
        """The note target `element` is: its own id, or (Gutenberg's `<p><a id="Footnote_1">`)
        the id of an anchor it opens with. "" when it is none."""
        ident = element.get("id")
        if ident in self.label_by_target:
            return ident
        for child in element.children:
            if isinstance(child, str):
                if child.strip():
                    return ""
                continue
            if child.tag == "a" and child.get("id") in self.label_by_target:
                return child.get("id")
            if child.tag not in ("p", "span", "a"):
                return ""
            return self.note_id(child)
        return ""

    @classmethod
    def collect(cls, roots: list[Element]) -> NoteMap:
        found = cls()
        for root in roots:
            for element in root.iter("a"):
                if is_noteref(element):
                    if ident := element.get("id") or element.get("name"):
                        found.reference_ids.add(ident)
                    target = _fragment(element.get("href"))
                    label = collapse(element.text()).strip("[]()") or str(
                        len(found.label_by_target) + 1
                    )
                    found.label_by_target.setdefault(target, label)
        for root in roots:
            for element in root.iter():
                ident = element.get("id")
                if ident and ident not in found.label_by_target and element.types & _NOTE_TYPES:
                    found.label_by_target[ident] = str(len(found.label_by_target) + 1)
        labels = list(found.label_by_target.values())
        for target, label in found.label_by_target.items():
            unique = labels.count(label) == 1
            found.ident_by_target[target] = label_id(label) if unique else label_id(target)
        return found


_BACK_SIGNS = frozenset({"↩", "↑", "^", "back", "return"})


def _is_note_label_link(element: Element, label: str) -> bool:
    """In a note, a link into the document showing the note's own label ("[1]") or a back
    sign: the way back to the reference, which the note's "1." already is."""
    if element.tag != "a" or not element.get("href").startswith("#"):
        return False
    shown = collapse(element.text()).strip("[]() ")
    return shown == label or shown.lower() in _BACK_SIGNS


def _render_inline(
    builder: InlineBuilder,
    nodes: list[Element | str],
    notes: NoteMap,
    refs: bool = True,
    note_label: str = "",
) -> None:
    for node in nodes:
        if isinstance(node, str):
            builder.add_text(node)
            continue
        tag = node.tag
        if tag in NEVER or notes.is_backlink(node):
            continue
        if note_label and _is_note_label_link(node, note_label):
            continue
        if tag == "br":
            builder.add_text("\n")
        elif is_noteref(node):
            target = _fragment(node.get("href"))
            if refs and target in notes.label_by_target:
                builder.noteref(notes.label_by_target[target], notes.ident_by_target[target])
            elif refs:
                _render_inline(builder, node.children, notes, refs, note_label)
        elif tag == "sup" and _only_noterefs(node):
            # The reference brings its own <sup>.
            _render_inline(builder, node.children, notes, refs, note_label)
        elif tag in _EMPHASIS or tag in _KEEP:
            name = _EMPHASIS.get(tag) or _KEEP[tag]
            builder.open(name)
            _render_inline(builder, node.children, notes, refs, note_label)
            builder.close(name)
        elif tag == "a" and re.match(r"^(?:https?://|mailto:)", node.get("href"), re.I):
            opened = builder.link(node.get("href"))
            _render_inline(builder, node.children, notes, refs, note_label)
            if opened:
                builder.close("a")
        else:
            _render_inline(builder, node.children, notes, refs, note_label)


def _only_noterefs(element: Element) -> bool:
    children = [c for c in element.children if not (isinstance(c, str) and not c.strip())]
    return bool(children) and all(not isinstance(c, str) and is_noteref(c) for c in children)


def heading_title(element: Element, notes: NoteMap) -> str:
    """A heading's text without its note references; hgroup parts joined by ": "."""
    builder = InlineBuilder()
    _heading_into(builder, element, notes, refs=False)
    return builder.result()[0]


def _heading_into(builder: InlineBuilder, element: Element, notes: NoteMap, refs: bool) -> None:
    if element.tag != "hgroup":
        _render_inline(builder, element.children, notes, refs)
        return
    for child in element.children:
        if isinstance(child, str) or child.tag in NEVER:
            continue
        probe = InlineBuilder()
        _render_inline(probe, child.children, notes, refs)
        if probe.empty:
            continue
        if not builder.empty:
            builder.add_text(": ")
        _render_inline(builder, child.children, notes, refs)


_CELL_BLOCKS = frozenset({"p", "pre", "div", "ul", "ol", "blockquote", "table", "h1", "h2", "h3"})


def _holds_blocks(row: Element) -> bool:
    return any(
        not isinstance(cell, str) and cell.find(*_CELL_BLOCKS) is not None for cell in row.children
    )


def is_contents_list(element: Element) -> bool:
    """A table of contents made of links into the document: three or more in-page links
    that carry most of the element's text. The reader makes its own contents page."""
    links = [a for a in element.iter("a") if a.get("href").startswith("#")]
    if len(links) < 3:
        return False
    linked = sum(len(collapse(a.text())) for a in links)
    return linked >= 0.6 * len(collapse(element.text()))


class BlockWalker:
    """Walks an element tree and collects Blocks."""

    def __init__(self, notes: NoteMap, skip: frozenset[str] = CHROME, code: bool = False) -> None:
        """`code=True` reads every `<pre>` as code: kept whole, spaces and all, in `<code>`
        (a web article's listings); otherwise a `<pre>` is verse (a book's poem)."""
        self.notes = notes
        self.code = code
        self.skip = skip | NEVER
        self.blocks: list[Block] = []
        self._note: tuple[str, str] | None = None

    def walk(self, element: Element, kind: str = "paragraph") -> list[Block]:
        self._container(element, kind)
        return self.blocks

    def _emit(self, nodes: list[Element | str], kind: str, verse: bool = False) -> None:
        if all(isinstance(node, str) and not node.strip() for node in nodes):
            return
        builder = InlineBuilder(verse=verse)
        note = self._note if kind == "note" else None
        if note:
            builder.noteback(*note)
        _render_inline(builder, nodes, self.notes, note_label=note[0] if note else "")
        text, html = builder.result()
        if not text or (note and text == f"{collapse(note[0])}."):
            return  # nothing here but the note's own number: it goes on the next block
        if note:
            self._note = None
        self._add(Block("verse" if verse else kind, text, html))

    def _add(self, block: Block) -> None:
        limits.charge_passage(block.text)
        self.blocks.append(block)

    def _container(self, element: Element, kind: str, verse: bool = False) -> None:
        run: list[Element | str] = []
        for child in element.children:
            if isinstance(child, str) or (child.tag not in BLOCKS and child.tag not in self.skip):
                run.append(child)
                continue
            if run:
                self._emit(run, kind, verse)
                run = []
            if child.tag not in self.skip:
                self._block(child, kind, verse)
        if run:
            self._emit(run, kind, verse)

    def _block(self, element: Element, kind: str, verse: bool) -> None:
        ident = self.notes.note_id(element)
        if element.tag in ("table", "ul", "ol", "p") and is_contents_list(element):
            return
        if (
            ident
            and element.tag in ("li", "aside", "div", "p", "section", "dd", "td")
            and not element.find("h1", "h2", "h3", "h4", "h5", "h6")
        ):
            self._note = (self.notes.label_by_target[ident], self.notes.ident_by_target[ident])
            self._block_body(element, "note", verse)
            self._note = None
        else:
            self._block_body(element, kind, verse)

    def _block_body(self, element: Element, kind: str, verse: bool) -> None:
        tag = element.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") or tag == "hgroup":
            self._heading(element)
        elif tag == "p":
            self._emit(element.children, kind, verse)
        elif tag == "blockquote":
            poem = "poem" in element.types or "verse" in element.types
            poem = poem or bool(_POEM.search(element.get("class")))
            self._container(element, "quote" if kind == "paragraph" else kind, verse or poem)
        elif tag == "li":
            self._container(element, "list_item" if kind in ("paragraph", "quote") else kind)
        elif tag == "pre" and self.code:
            self._code(element)
        elif tag == "pre":
            self._emit(element.children, kind, verse=True)
        elif tag == "tr" and _holds_blocks(element):
            self._container(element, kind, verse)  # a layout table: its cells hold blocks
        elif tag == "tr":
            self._row(element, kind)
        elif tag == "hr":
            return
        else:
            self._container(element, kind, verse)

    def _code(self, element: Element) -> None:
        children = element.children
        only = [c for c in children if not (isinstance(c, str) and not c.strip())]
        if len(only) == 1 and isinstance(only[0], Element) and only[0].tag == "code":
            children = only[0].children  # <pre><code>: one <code> is enough
        builder = InlineBuilder(preformatted=True)
        builder.open("code")
        _render_inline(builder, children, self.notes)
        builder.close("code")
        text, html = builder.result()
        if text:
            self._add(Block("verse", text, html))

    def _heading(self, element: Element) -> None:
        builder = InlineBuilder()
        _heading_into(builder, element, self.notes, refs=True)
        text, html = builder.result()
        if not text:
            return
        level_tag = (
            element if element.tag != "hgroup" else element.find("h1", "h2", "h3", "h4", "h5", "h6")
        )
        level = int(level_tag.tag[1]) if level_tag is not None else 6
        self._add(Block("heading", text, html, level, heading_title(element, self.notes)))

    def _row(self, element: Element, kind: str) -> None:
        builder = InlineBuilder()
        first = True
        for cell in element.children:
            if isinstance(cell, str) or cell.tag not in ("td", "th"):
                continue
            probe = InlineBuilder()
            _render_inline(probe, cell.children, self.notes)
            if probe.empty:
                continue
            if not first:
                builder.add_text(" | ")
            _render_inline(builder, cell.children, self.notes)
            first = False
        text, html = builder.result()
        if text:
            self._add(Block(kind, text, html))
