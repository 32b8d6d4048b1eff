"""What on a PDF's pages is not the running text: running headers and footers, page numbers,
Gutenberg's header and licence, and footnotes (kept, apart, as notes).

- A page's top or bottom line is a running header or footer when it carries the page's own
  number (its number less the page's index is the same on at least three pages: "NATURE OF
  MATHEMATICS 2" on the fifth page, "INTRODUCTION TO MATHEMATICS 17" on the twentieth), when
  it is a bare number ("17", "- 17 -", "Page 17"), or when its words, numbers aside, stand at
  the top (or bottom) of at least two pages.
- Footnotes are the lines at a page's foot set smaller than the text, the first of each
  opening with its mark ("∗", "1", "†"), which the page's text carries raised and small
  (that is how they are told apart from, say, a formula set small at the foot of a page);
  lines after it without a mark go on with that note. Lines at the foot in small type that
  no raised mark points to stay text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from . import gutenberg
from .pdflines import Line, Run

_NUMBER = re.compile(r"^\s*(?:page\s+)?[-–—(\[]?\s*(\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)\]]?\s*$", re.I)
_EDGE_NUMBER = re.compile(r"^\s*(\d{1,4})\s+\S|\S\s+(\d{1,4})\s*$")
_NOTE_MARK = re.compile(r"^\s*(\d{1,3}|[*∗†‡§¶])\s*(?=\S)")
_MARK_ONLY = re.compile(r"\d{1,3}|[*∗†‡§¶]")
SMALL = 0.92  # a footnote's size, at most, as a share of the text's


def body_size(pages: list[list[Line]]) -> float:
    """The size most of the text is set in."""
    weight: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            weight[line.size] += len(line.text)
    return weight.most_common(1)[0][0] if weight else 12.0


def _shape(text: str) -> str:
    return re.sub(r"\d+|\b[ivxlcdm]+\b", "#", text.casefold()).strip()


def _edge_number(text: str) -> int | None:
    match = _EDGE_NUMBER.search(text)
    if not match:
        return None
    return int(match.group(1) or match.group(2))


def _edges(lines: list[Line]) -> tuple[Line, Line]:
    """The page's top and bottom lines as it looks, whatever order its stream gives them."""
    return max(lines, key=lambda line: line.y), min(lines, key=lambda line: line.y)


def drop_running_lines(pages: list[list[Line]], size: float) -> None:
    """Remove running headers, footers and page numbers from every page, in place. A line
    set larger than the text (`size`) is a heading, never a running line."""
    edges = [(index, *_edges(lines)) for index, lines in enumerate(pages) if lines]
    offsets: Counter[int] = Counter()
    for index, top, bottom in edges:
        for line in {id(top): top, id(bottom): bottom}.values():
            if (number := _edge_number(line.text)) is not None:
                offsets[number - index] += 1
    offset = next((o for o, n in offsets.most_common(1) if n >= 3), None)
    tops = Counter(_shape(top.text) for _, top, _ in edges)
    bottoms = Counter(_shape(bottom.text) for _, _, bottom in edges)

    def running(line: Line, index: int, seen: Counter[str]) -> bool:
        text = line.text
        if line.size > size + 0.5:
            return False
        if _NUMBER.match(text):
            return True
        number = _edge_number(text)
        if offset is not None and number is not None and number - index == offset:
            return True
        return len(text) <= 100 and seen[_shape(text)] >= 2

    for index, lines in enumerate(pages):
        for _ in range(2):  # a header above a page number, a number under a footer
            if not lines:
                break
            top, bottom = _edges(lines)
            gone = [
                line
                for line in (top, bottom)
                if running(line, index, tops if line is top else bottoms)
            ]
            if not gone:
                break
            lines[:] = [line for line in lines if all(line is not g for g in gone)]


def cut_gutenberg(pages: list[list[Line]]) -> gutenberg.GutenbergMeta | None:
    """Remove what comes before Gutenberg's start marker and from its end marker on, in
    place; what the header says, or None when there is no start marker."""
    flat = [(p, i) for p, lines in enumerate(pages) for i in range(len(lines))]
    start = next((at for at in flat if gutenberg.START.search(pages[at[0]][at[1]].text)), None)
    if start is None:
        return None
    header = "\n".join(pages[p][i].text for p, i in flat[: flat.index(start)])
    end = next(
        (at for at in flat[flat.index(start) :] if gutenberg.END.search(pages[at[0]][at[1]].text)),
        None,
    )
    for page in range(start[0]):
        pages[page].clear()
    del pages[start[0]][: start[1] + 1]
    if end is not None:
        end_page, end_index = end
        if end_page == start[0]:
            end_index -= start[1] + 1
        del pages[end_page][end_index:]
        for page in range(end_page + 1, len(pages)):
            pages[page].clear()
    return gutenberg.parse_header(header)


@dataclass
class Footnote:
    page: int
    mark: str
    text: str


def take_footnotes(pages: list[list[Line]], size: float) -> list[Footnote]:
    """Remove the footnotes from the foot of every page, in place, and return them."""
    notes: list[Footnote] = []
    for index, lines in enumerate(pages):
        by_height = sorted(lines, key=lambda line: line.y)
        count = 0
        while count < len(by_height) and by_height[count].size <= size * SMALL:
            count += 1
        foot = sorted(by_height[:count], key=lambda line: -line.y)
        if not foot or not any(_NOTE_MARK.match(line.text) for line in foot):
            continue
        raised = _raised_marks(by_height[count:])
        page_notes: list[Footnote] = []
        for line in foot:
            match = _NOTE_MARK.match(line.text)
            if match and match.group(1) in raised:
                page_notes.append(Footnote(index, match.group(1), line.text[match.end() :]))
            elif page_notes:
                page_notes[-1].text = _join(page_notes[-1].text, line.text)
            else:
                page_notes = []
                break
        if page_notes:
            notes += page_notes
            lines[:] = [line for line in lines if all(line is not f for f in foot)]
    return notes


def is_raised_mark(run: Run, line: Line) -> bool:
    """A run that is a note's mark in the text: small, raised, a number or a sign."""
    return (
        run.size < line.size * 0.85
        and run.y > line.y + 0.5
        and bool(_MARK_ONLY.fullmatch(run.text.strip()))
    )


def _raised_marks(lines: list[Line]) -> set[str]:
    return {run.text.strip() for line in lines for run in line.runs if is_raised_mark(run, line)}


def _join(before: str, after: str) -> str:
    if before.endswith("-") and after[:1].islower():
        return before[:-1] + after
    return f"{before} {after}"
