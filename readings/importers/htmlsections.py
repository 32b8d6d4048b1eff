"""An HTML book's blocks → its chapters.

Which heading level makes the chapters: the shallowest level at which at least two headings
have text under them. A level with one heading (the book's title in an `<h1>`, wherever it
sits) never does, so a novel whose only `<h1>` is its title is cut at its `<h2>`s rather than
into "everything before the title" and "everything after". When those headings name parts
or books ("PART I", "Book Two") and the level below has chapters, the chapters are cut at the
level below and titled "Part I — Chapter 3".

Headings as Gutenberg types them are joined first: a heading that is only a number ("I",
"CHAPTER IV") followed by a heading holding the title becomes one heading, "I: How Candide
Was Brought Up…" (`merge_numbered_headings`); chapter titles are made readable
(`headings.chapter_title`).

What comes before the first chapter heading is the title page when it is short (under
`TITLE_PAGE_WORDS` words of text): it is dropped, and gives the book's author when it has a
byline ("by Jane Austen") and its title when it has a lone `<h1>`. A short section under a
chapter-level heading that is itself a byline ("By VOLTAIRE"), before any section of text,
belongs to the title page too (a story "By Moonlight" with its text stays a chapter). A
contents list is dropped wherever it is: the reader makes its own. Deeper headings stay in
their chapter as heading passages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .base import ParsedChapter
from .headings import TOC_TITLES, chapter_title, is_numeral_only, is_part_title
from .structure import Block, title_passages
from .titles import byline_author

TITLE_PAGE_WORDS = 150


def merge_numbered_headings(blocks: list[Block]) -> list[Block]:
    """A number-only heading and the title heading after it (as deep or deeper) → one."""
    merged: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if (
            following is not None
            and block.kind == following.kind == "heading"
            and following.level >= block.level
            and is_numeral_only(block.title)
            and not is_numeral_only(following.title)
        ):
            merged.append(
                Block(
                    "heading",
                    f"{block.text} {following.text}",
                    f"{block.html} {following.html}",
                    block.level,
                    f"{block.title} {following.title}",
                )
            )
            index += 2
            continue
        merged.append(block)
        index += 1
    return merged


def _words(blocks: list[Block]) -> int:
    return sum(len(b.text.split()) for b in blocks if b.kind != "heading")


def _levels_with_text(blocks: list[Block]) -> dict[int, int]:
    """level → how many headings of that level have text (a non-heading block) under them."""
    counts: dict[int, int] = {}
    open_at: dict[int, bool] = {}  # level → the last heading of that level has text so far
    for block in blocks:
        if block.kind == "heading":
            for level in [lv for lv in open_at if lv >= block.level]:
                counts[level] = counts.get(level, 0) + open_at.pop(level)
            open_at[block.level] = False
        else:
            for level in open_at:
                open_at[level] = True
    for level, has_text in open_at.items():
        counts[level] = counts.get(level, 0) + has_text
    return counts


@dataclass
class _Section:
    title: str
    heading: Block | None = None
    blocks: list[Block] = field(default_factory=list)
    title_page: bool = False


@dataclass
class BookSections:
    chapters: list[ParsedChapter]
    title: str = ""  # from a lone <h1> on the title page
    author: str = ""  # from a byline on the title page


def _chapter_levels(blocks: list[Block]) -> tuple[int | None, int | None]:
    """(the chapters' level, the level of the parts above them or None)."""
    counts = _levels_with_text(blocks)
    levels = sorted(level for level, count in counts.items() if count >= 2)
    if not levels:
        return None, None
    top = levels[0]
    tops = [b.title for b in blocks if b.kind == "heading" and b.level == top]
    if len(levels) > 1 and sum(map(is_part_title, tops)) * 2 > len(tops):
        return levels[1], top
    return top, None


def _one_chapter(blocks: list[Block], fallback_title: str) -> BookSections:
    """A document without chapters: one chapter, titled by the heading that opens it (also
    the document's title) unless that heading refers to a note."""
    if blocks and blocks[0].kind == "heading":
        title = chapter_title(blocks[0].title)
        passages = title_passages(blocks[0]) + [b.passage() for b in blocks[1:]]
        return BookSections([ParsedChapter(title, passages)], title=title)
    return BookSections([ParsedChapter(fallback_title, [b.passage() for b in blocks])])


def _mark_bylines(sections: list[_Section]) -> None:
    """A short section headed by a byline ("By VOLTAIRE") before any section of text is the
    title page going on; "By Moonlight", a story with its text, stays a chapter."""
    for section in sections[1:]:
        if _words(section.blocks) >= TITLE_PAGE_WORDS:
            return
        if section.heading is not None and byline_author(section.heading.title):
            section.title_page = True
            section.blocks.insert(0, section.heading)  # its byline, read with the rest


def book_sections(blocks: list[Block], fallback_title: str) -> BookSections:
    """Cut an HTML book's blocks into chapters (see the module's docstring)."""
    blocks = merge_numbered_headings([b for b in blocks if b.text])
    level, part_level = _chapter_levels(blocks)
    if level is None:
        return _one_chapter(blocks, fallback_title)
    result = BookSections([])
    sections = [_Section("")]
    part = ""
    for block in blocks:
        if block.kind == "heading" and block.level == part_level:
            part = chapter_title(block.title)
            sections.append(_Section(part, block))
        elif block.kind == "heading" and block.level == level:
            title = chapter_title(block.title)
            sections.append(_Section(f"{part} — {title}" if part else title, block))
        else:
            sections[-1].blocks.append(block)
    _mark_bylines(sections)

    opening, *rest = sections
    for section in [opening, *(s for s in rest if s.title_page)]:
        h1s = [b for b in section.blocks if b.kind == "heading" and b.level == 1]
        if len(h1s) == 1:
            result.title = result.title or chapter_title(h1s[0].title)
        for block in section.blocks:
            result.author = result.author or byline_author(block.text)
    kept = [s for s in rest if not s.title_page and not TOC_TITLES.match(s.title)]
    if _words(opening.blocks) >= TITLE_PAGE_WORDS:
        if opening.blocks[0].kind == "heading":
            opening.title = chapter_title(opening.blocks[0].title)
            opening.heading = opening.blocks.pop(0)
        kept.insert(0, opening)
    for section in kept:
        passages = title_passages(section.heading) if section.heading else []
        passages += [b.passage() for b in section.blocks]
        result.chapters.append(ParsedChapter(section.title or "Introduction", passages))
    return result
