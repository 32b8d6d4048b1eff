"""Plain text (the seeds, Project Gutenberg files, anything typed) → `ParsedReading`.

How the text is read, in order:
1. The Project Gutenberg header and licence footer are cut off (their title/author kept,
   the eBook number as the source, and as the licence "Public domain in the USA" unless the
   header names a copyright), as are `/* ... */` layout marks and `[Illustration: ...]`
   blocks (which may nest and span lines; one that announces a chapter,
   "[Illustration: ... Chapter I.]", leaves the chapter heading in its place).
2. The text becomes blocks: runs of non-blank lines, each remembering how many blank
   lines came before it. The first block is the title when it is short.
3. Lists of contents or illustrations ("Heading to Chapter IV.      18") are dropped;
   numbered notes at the end ("1. Tamari, ...") become a "Notes" chapter; in texts pasted
   from the web (one long line per paragraph), short trailing lines such as bylines and
   credits after the last paragraph are dropped.
4. Chapters: when the text has two or more numbered headings ("CHAPTER XII.", "Chapter 3",
   "BOOK ONE: 1805", "PART II", "IV.  POSITION OF ...") they make the chapters, books or
   parts containing chapters give "Book One — Chapter I" titles, and headings with nothing
   under them (a table of contents) are dropped. Otherwise sections are separated by two or
   more blank lines and by short heading lines without closing punctuation (a note
   reference after the punctuation, "himself.1", still closes the line). No section loses
   its lines: short lines that are all a section holds are its paragraphs.
5. Passages: paragraphs (wrapped lines joined), list items ("1.  ..."), quotes (indented
   blocks in wrapped text, and paragraphs quoted whole — opened by “ and closed by ”, a
   note number allowed after it — after a line ending in a colon), verse (blocks of short
   lines in unwrapped text); `_italics_` become `<em>`, and note references glued to words
   (`Hezbollah.1`, `power.”2`) link to their notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import gutenberg, limits
from .base import ParsedChapter, ParsedPassage, ParsedReading
from .headings import (
    KEYWORD_HEADING,
    PAGE_LABEL,
    TOC_LINE,
    TOC_TITLES,
    Heading,
    chapter_title,
    ends_open,
    line_heading,
    no_lowercase,
)
from .inline import InlineBuilder, collapse
from .structure import finish, title_from_file_name
from .textcontents import contents_headings
from .titles import byline_author, shorten, smart_title

# --- Illustrations and layout marks ------------------------------------------------------

_ILLUSTRATION = re.compile(r"\[(?:Illustration|Frontispiece)\b", re.IGNORECASE)
_BLANK_LINES = re.compile(r"[ \t]*\n(?:[ \t]*\n)*")
_ILLUSTRATION_OPEN = re.compile(r"^\s*\[(?:Illustration|Frontispiece)\b:?", re.IGNORECASE)
_LAYOUT_MARK = re.compile(
    r"^([ \t]*)/\*[ \t]*(?:[A-Z]{3,}\b[ \t]*)?|[ \t]*\*/[ \t]*$", re.MULTILINE
)


def _closing_bracket(text: str, start: int) -> int:
    """Index just after the "]" matching the "[" at `start` (nesting counted)."""
    depth = 0
    brackets = re.compile(r"[\[\]]")
    for match in brackets.finditer(text, start):
        depth += 1 if match.group() == "[" else -1
        if depth == 0:
            return match.end()
    return len(text)


def _drop_illustrations(text: str) -> str:
    if not _ILLUSTRATION.search(text):
        return text
    out: list[str] = []
    pos = 0
    for match in _ILLUSTRATION.finditer(text):
        if match.start() < pos:
            continue
        end = _closing_bracket(text, match.start())
        inner = text[match.start() : end]
        line_start = text.rfind("\n", 0, match.start()) + 1
        whole_lines = not text[line_start : match.start()].strip()
        out.append(text[pos : line_start if whole_lines else match.start()])
        lines = (_ILLUSTRATION_OPEN.sub("", line).strip(" \t[]") for line in inner.split("\n"))
        heading = next((line for line in lines if KEYWORD_HEADING.match(line)), "")
        pos = end
        if whole_lines:
            # Swallow the rest of the line and the blank lines after it, so that removing
            # a picture between two paragraphs does not look like a section break.
            if rest := _BLANK_LINES.match(text, pos):
                pos = rest.end()
            if heading:
                out.append(f"{heading}\n\n")
        elif heading:
            out.append(f"\n\n{heading}\n\n")
    out.append(text[pos:])
    return "".join(out)


# --- Blocks ---------------------------------------------------------------------------------


@dataclass
class _Block:
    lines: list[str]
    blank_before: int

    @property
    def joined(self) -> str:
        return " ".join(line.strip() for line in self.lines)

    @property
    def single(self) -> bool:
        return len(self.lines) == 1


def _to_blocks(text: str) -> list[_Block]:
    """Runs of non-blank lines. More blocks than the passages a reading may hold, or a line
    longer than a passage may be, are refused here, before they fill the memory (each block
    makes at least one passage, and a line is never cut across two)."""
    budget = limits.current()
    blocks: list[_Block] = []
    lines: list[str] = []
    blanks = 0
    for line in text.split("\n"):
        if len(line) > budget.limits.passage_chars:
            budget.charge_passage(line)  # one line is never cut: it is refused as it is
        if line.strip():
            lines.append(line.rstrip())
            continue
        if lines:
            blocks.append(_Block(lines, blanks))
            if len(blocks) % 1024 == 0:
                budget.check_passage_count(len(blocks))
                budget.check_time()
            lines = []
            blanks = 0
        blanks += 1
    if lines:
        blocks.append(_Block(lines, blanks))
    return blocks


def _strong_heading(block: _Block) -> Heading | None:
    if len(block.lines) > 3:
        return None
    first = collapse(block.lines[0])
    rest = [collapse(line) for line in block.lines[1:]]
    if len(first) > 100:
        return None
    if rest and any(line_heading(line) for line in rest):
        return None  # several headings in one block: a table of contents
    heading = line_heading(first)
    if heading is None:
        return None
    if rest:
        if not (no_lowercase(first) and all(no_lowercase(line) for line in rest)):
            return None
        heading = line_heading(" ".join([first, *rest])) or heading
    return heading


def _weak_candidate(block: _Block) -> bool:
    """A short line with no closing punctuation: "Division of Labor", "What is Dual Power?"."""
    if not block.single:
        return False
    line = collapse(block.lines[0])
    if not (2 <= len(line) <= 100) or len(line.split()) > 15:
        return False
    first = line.lstrip("_*")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    return ends_open(line) and not TOC_LINE.match(block.lines[0])


# --- Notes at the end ---------------------------------------------------------------------

_NOTE_START = re.compile(r"^\s*(?:(\d{1,3})[.)]|\[(\d{1,3})\])\s+(?=\S)")
_REFERENCE = re.compile(r"(?<=[a-z.,;:!?”’\"')\]])(\d{1,3})(?=[\s.,;:!?”’\"')\]]|$)|\[(\d{1,3})\]")
_NOTES_HEADING = re.compile(r"^(?:end|foot)?notes\.?$", re.IGNORECASE)


def _extract_notes(blocks: list[_Block]) -> list[tuple[str, str]]:
    """Numbered notes at the end of the text, removed from `blocks`: [(label, text)]."""
    index = len(blocks)
    while index > 0 and _NOTE_START.match(blocks[index - 1].lines[0]):
        index -= 1
    if index == len(blocks) or index == 0:
        return []
    labels = []
    for block in blocks[index:]:
        match = _NOTE_START.match(block.lines[0])
        assert match is not None
        labels.append(int(match.group(1) or match.group(2)))
    if labels != list(range(labels[0], labels[0] + len(labels))):
        return []
    headed = _NOTES_HEADING.match(collapse(blocks[index - 1].joined)) is not None
    if not headed:
        if blocks[index].blank_before < 2:
            return []
        body = "\n".join(block.joined for block in blocks[:index])
        found = {m.group(1) or m.group(2) for m in _REFERENCE.finditer(body)}
        if not found & {str(label) for label in labels}:
            return []
    notes = [
        (str(label), _NOTE_START.sub("", block.joined, count=1))
        for label, block in zip(labels, blocks[index:], strict=True)
    ]
    del blocks[index - 1 if headed else index :]
    return notes


# --- Web-page residue ---------------------------------------------------------------------


def _is_unwrapped(blocks: list[_Block]) -> bool:
    """Pasted from the web: paragraphs are long single lines rather than wrapped at ~72."""
    lines = [line for block in blocks for line in block.lines]
    long_lines = sum(1 for line in lines if len(line) > 120)
    return bool(lines) and long_lines >= max(1, len(lines) // 4)


def _drop_residue(blocks: list[_Block]) -> None:
    """Drop trailing bylines/credits: two or more short single lines after the last long
    paragraph, at least one of them a fragment (no closing full stop, or lowercase start)."""
    index = len(blocks)
    while index > 0 and blocks[index - 1].single and len(blocks[index - 1].lines[0]) <= 200:
        index -= 1
    tail = blocks[index:]
    if index == 0 or len(tail) < 2:
        return
    fragments = [b for b in tail if b.lines[0].strip()[:1].islower() or ends_open(b.lines[0])]
    if fragments:
        del blocks[index:]


# --- Inline rendering ------------------------------------------------------------------------

_ITALIC = re.compile(r"(?<![\w*])_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)", re.DOTALL)


def _add_with_refs(builder: InlineBuilder, text: str, labels: set[str]) -> None:
    if not labels:
        builder.add_text(text)
        return
    pos = 0
    for match in _REFERENCE.finditer(text):
        label = match.group(1) or match.group(2)
        if label not in labels:
            continue
        builder.add_text(text[pos : match.start()])
        builder.noteref(label)
        pos = match.end()
    builder.add_text(text[pos:])


def _render(text: str, labels: set[str], verse: bool = False) -> tuple[str, str]:
    builder = InlineBuilder(verse=verse)
    _render_into(builder, text, labels)
    text, html = builder.result()
    limits.charge_passage(text)
    return text, html


def _render_into(builder: InlineBuilder, text: str, labels: set[str]) -> None:
    pos = 0
    for match in _ITALIC.finditer(text):
        _add_with_refs(builder, text[pos : match.start()], labels)
        builder.open("em")
        _add_with_refs(builder, match.group(1), labels)
        builder.close("em")
        pos = match.end()
    _add_with_refs(builder, text[pos:], labels)


# How many blocks at the start may hold the title page's byline.
_TITLE_PAGE_BLOCKS = 12
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,3}|[IVX]{1,5})\.\s+\S")


def _passages(
    blocks: list[_Block], labels: set[str], unwrapped: bool, headings: set[int]
) -> list[ParsedPassage]:
    passages: list[ParsedPassage] = []
    for index, block in enumerate(blocks):
        if id(block) in headings:
            text, html = _render(collapse(block.joined), labels)
            passages.append(ParsedPassage("heading", text, html))
            continue
        if unwrapped and not block.single:
            if all(len(line) <= 80 for line in block.lines):
                text, html = _render("\n".join(block.lines), labels, verse=True)
                passages.append(ParsedPassage("verse", text, html))
            else:
                for line in block.lines:
                    text, html = _render(line, labels)
                    passages.append(ParsedPassage("paragraph", text, html))
            continue
        kind = "paragraph"
        if _LIST_ITEM.match(block.lines[0]) and any(
            0 <= other < len(blocks) and _LIST_ITEM.match(blocks[other].lines[0])
            for other in (index - 1, index + 1)
        ):
            kind = "list_item"
        elif not unwrapped and all(line.startswith(("    ", "\t")) for line in block.lines):
            kind = "quote"
        text, html = _render(block.joined, labels)
        if text:
            passages.append(ParsedPassage(kind, text, html))
    _mark_quotations(passages)
    return passages


_QUOTATION_END = re.compile(r"”(?:\d{1,3}|\[\d{1,3}\])?$")
_QUOTATION_PARAGRAPHS = 12


def _quotation_length(passages: list[ParsedPassage], start: int) -> int:
    """How many paragraphs from `start` make one quotation: the first opens with “, the
    last closes it with ” (a note number may follow), and the opening quote stays open
    until then (quotes inside it are counted in pairs). 0 when they make none."""
    depth = 0
    for offset, passage in enumerate(passages[start : start + _QUOTATION_PARAGRAPHS]):
        if passage.kind != "paragraph":
            return 0
        text = passage.text
        for index, char in enumerate(text):
            if char == "“":
                depth += 1
            elif char == "”":
                depth -= 1
                if depth <= 0:
                    return offset + 1 if _QUOTATION_END.match(text, index) else 0
    return 0


def _mark_quotations(passages: list[ParsedPassage]) -> None:
    """A run of paragraphs quoted after a line ending in a colon is a quotation:
    "Lenin’s use here was clear:" then “What is this dual power? ... (three paragraphs)
    ... of a competent worker.”3. The paragraph with the colon stays a paragraph."""
    index = 1
    while index < len(passages):
        before, passage = passages[index - 1], passages[index]
        if before.text.endswith(":") and passage.text.startswith("“"):
            length = _quotation_length(passages, index)
            for quoted in passages[index : index + length]:
                quoted.kind = "quote"
            index += max(length, 1)
        else:
            index += 1


# --- Sections ---------------------------------------------------------------------------------


@dataclass
class _Section:
    title: str
    blocks: list[_Block] = field(default_factory=list)
    headed: bool = False


def _strong_sections(blocks: list[_Block], strong: dict[int, Heading]) -> list[_Section]:
    numbered_levels = {h.level for h in strong.values() if h.numbered}
    two_level = {1, 2} <= numbered_levels
    sections = [_Section("")]
    upper = ""
    for block in blocks:
        heading = strong.get(id(block))
        if heading is None:
            sections[-1].blocks.append(block)
            continue
        if heading.level == 1 and two_level:
            upper = heading.title
            sections.append(_Section(upper, headed=True))
        elif heading.level == 0:
            upper = ""
            sections.append(_Section(heading.title, headed=True))
        else:
            title = f"{upper} — {heading.title}" if upper else heading.title
            sections.append(_Section(title, headed=True))
    return sections


def _looks_like_title_page(section: _Section) -> bool:
    lines = [line for block in section.blocks for line in block.lines]
    if any(len(line.strip()) > 60 for line in lines):
        return False
    return all(line.startswith("    ") for line in lines) or sum(map(len, lines)) < 300


def _weak_sections(blocks: list[_Block], weak: set[int]) -> list[_Section]:
    sections = [_Section("")]
    previous_heading = False
    for block in blocks:
        if id(block) in weak:
            if previous_heading and block.blank_before < 2:
                sections[-1].blocks.append(block)  # a subheading, kept as a passage
            else:
                sections.append(_Section(smart_title(block.joined), headed=True))
                sections[-1].blocks.append(block)  # placeholder, removed below
            previous_heading = True
            continue
        if block.blank_before >= 2 and sections[-1].blocks and not previous_heading:
            sections.append(_Section(""))
        sections[-1].blocks.append(block)
        previous_heading = False
    for section in sections:
        if section.headed:
            section.blocks.pop(0)
    return [s for s in sections if s.blocks or s.headed]


# --- The importer -------------------------------------------------------------------------------


def _title_from(blocks: list[_Block], filename: str) -> tuple[str, bool]:
    """The title from a short first block (removed from `blocks`), else from the file name
    or the first words: (title, whether it was made up)."""
    if len(blocks) > 1:
        first = blocks[0]
        short = len(first.lines) <= 4 and all(len(line.strip()) <= 100 for line in first.lines)
        if short and _strong_heading(first) is None:
            del blocks[0]
            parts = [line.strip() for line in first.lines]
            if len(parts) > 1:
                parts = [part.rstrip(".") for part in parts]
            return smart_title(" ".join(parts).strip("_*")), False
    stem = title_from_file_name(filename)
    if stem:
        return stem, True
    return (shorten(blocks[0].joined) if blocks else ""), True


def parse_plaintext(text: str, filename: str = "") -> ParsedReading:
    """Parse within the import's limits (`readings.importers.limits`)."""
    with limits.import_budget():
        return _parse_plaintext(text, filename)


def _parse_plaintext(text: str, filename: str) -> ParsedReading:
    meta, body = gutenberg.strip_gutenberg(text)
    if "/*" in body:
        body = _LAYOUT_MARK.sub(r"\1", body)
    body = _drop_illustrations(body)
    blocks = _to_blocks(body)

    title = meta.title
    made_up = False
    if meta.gutenberg:
        while blocks and gutenberg.CREDIT.match(blocks[0].lines[0]):
            del blocks[0]
    if not title:
        title, made_up = _title_from(blocks, filename)
    author = meta.author or _take_byline(blocks)
    by_contents = contents_headings([b.lines for b in blocks])
    parts = {id(blocks[i]) for i in by_contents[1]} if by_contents else set()

    blocks = [
        b
        for b in blocks
        if not all(TOC_LINE.match(line) for line in b.lines)
        and not PAGE_LABEL.match(b.joined.strip())
    ]
    notes = _extract_notes(blocks)
    labels = {label for label, _ in notes}
    unwrapped = _is_unwrapped(blocks)
    if unwrapped:
        _drop_residue(blocks)

    strong = {id(b): h for b in blocks if (h := _strong_heading(b)) is not None}
    numbered = sum(1 for h in strong.values() if h.numbered)
    candidates = [_weak_candidate(b) for b in blocks]
    weak: set[int] = set()
    for index, block in enumerate(blocks):
        if not candidates[index] or id(block) in strong and numbered >= 2:
            continue
        follower = index + 1
        while follower < len(blocks) and follower - index <= 3 and candidates[follower]:
            follower += 1
        if follower < len(blocks) and not candidates[follower]:
            weak.add(id(block))

    if parts and numbered < 2:
        sections = _contents_sections(blocks, parts)
    elif numbered >= 2:
        sections = _strong_sections(blocks, strong)
        front = sections[0]
        if front.blocks and _looks_like_title_page(front):
            front.blocks = []
        if len(front.blocks) > 1 and id(front.blocks[0]) in weak:
            front.title = smart_title(front.blocks.pop(0).joined)
        for section in sections[1:]:
            # A short line under a numbered heading is its subtitle, unless it is all the
            # chapter holds ("The room was filling"): then it is the chapter's text.
            subtitled = len(section.blocks) > 1 and id(section.blocks[0]) in weak
            if subtitled and ":" not in section.title:
                section.title = f"{section.title}: {smart_title(section.blocks.pop(0).joined)}"
        sections = [s for s in sections if not TOC_TITLES.match(s.title)]
    else:
        sections = _weak_sections(blocks, weak)
        if (
            len(sections) > 1
            and not sections[0].headed
            and len(sections[0].blocks) == 1
            and sections[1].headed
            and sections[1].blocks
            and _heading_gap(blocks, sections[0].blocks[0]) < 2
        ):
            sections[1].blocks.insert(0, sections[0].blocks.pop())  # a standfirst
            sections.pop(0)

    chapters: list[ParsedChapter] = []
    for section in sections:
        passages = _passages(section.blocks, labels, unwrapped, weak)
        if not passages:
            continue
        if all(p.kind == "heading" for p in passages):
            # Short lines with nothing else under the section's heading are its text.
            for passage in passages:
                passage.kind = "paragraph"
        chapters.append(ParsedChapter(section.title, passages))
    _name_untitled(chapters, title)
    if notes:
        passages = []
        for label, note_text in notes:
            builder = InlineBuilder()
            builder.noteback(label)
            _render_into(builder, note_text, set())
            passages.append(ParsedPassage("note", *builder.result()))
        chapters.append(ParsedChapter("Notes", passages))

    reading = ParsedReading(
        title=title,
        chapters=chapters,
        author=author,
        language=meta.language or "en",
        source_note=meta.source,
        licence=meta.licence,
        format="text",
        title_from_file_name=made_up,
    )
    return finish(reading)


def _take_byline(blocks: list[_Block]) -> str:
    """The author from a byline on the title page ("by\nJane Austen,"), which is removed:
    a short block among the first ones, before any paragraph of prose."""
    for index, block in enumerate(blocks[:_TITLE_PAGE_BLOCKS]):
        if any(len(line.strip()) > 80 for line in block.lines) or len(block.lines) > 4:
            return ""
        if author := byline_author(block.joined):
            del blocks[index]
            return author
    return ""


def _contents_sections(blocks: list[_Block], parts: set[int]) -> list[_Section]:
    """Sections at the parts the contents list names (`textcontents`); what comes before
    the first (the title page and the list itself) is dropped."""
    sections: list[_Section] = []
    for block in blocks:
        if id(block) in parts:
            sections.append(_Section(chapter_title(block.joined), headed=True))
        elif sections:
            sections[-1].blocks.append(block)
    return sections


def _heading_gap(blocks: list[_Block], block: _Block) -> int:
    """Blank lines between `block` and the block after it."""
    index = blocks.index(block)
    return blocks[index + 1].blank_before if index + 1 < len(blocks) else 0


def _name_untitled(chapters: list[ParsedChapter], reading_title: str) -> None:
    for number, chapter in enumerate(chapters, start=1):
        if chapter.title:
            continue
        if len(chapters) == 1:
            chapter.title = reading_title
        elif number == 1:
            chapter.title = "Introduction"
        else:
            chapter.title = f"Section {number}"
