"""Highlights: `<mark>` elements over the anchored phrases of a passage's HTML.

Anchors are offsets into `Passage.text`, the text content of `Passage.html`. `highlight_html`
walks the HTML once and wraps the characters covered by highlight ranges in marks:

- Marks wrap text only and are closed before any tag and reopened after it, so a mark never
  contains part of an element (`<em>` stays whole, `<a>` keeps its children) and the output is
  as well-formed as the input.
- Overlapping ranges cut the text into segments, each covered by a fixed set of threads; one
  mark per segment (and per text run) lists them all in `data-threads`, and its depth class
  (`hl--2`, `hl--3`…) says how many overlap there.
- Each highlight (a distinct range: threads on exactly the same words share it) opens with a
  button and closes with an end marker, both empty elements, so the text content is
  unchanged and the quote itself is read as text: the button (`id="hl-<thread>"`,
  `tabindex="0"`, `role="button"`, named "annotation start") sits at the start of its first
  piece, `aria-describedby` pointing at its description (`describe_highlights`: "3 comments,
  2 threads", and whether it overlaps other highlights), with `aria-expanded` and
  `aria-controls` saying whether its thread is open (the page's script keeps them true); the
  end marker (`.hl-end`) says "annotation end" through generated content (CSS).
  Highlights starting at the same character each have their button there, the one ending
  soonest first.
- Text is re-escaped consistently (`&`, `<`, `>`); named and numeric character references
  become the characters they stand for, so the text content is unchanged.

Ranges outside the text are clipped and empty ranges ignored. The work is linear in the size
of the HTML plus the ranges (sorted once): a passage with a thousand ranges takes a few ms.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from html import escape
from html.parser import HTMLParser
from typing import NamedTuple


class Highlight(NamedTuple):
    """Characters start..end of the passage text belong to thread `thread_id`, which holds
    `comments` comments its readers see."""

    start: int
    end: int
    thread_id: int
    comments: int = 1


class _Tokens(HTMLParser):
    """Splits inline HTML into tags (kept as written) and text (decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[bool, str]] = []  # (is_text, raw tag or decoded text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tokens.append((False, self.get_starttag_text() or f"<{tag}>"))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.tokens.append((False, self.get_starttag_text() or f"<{tag}/>"))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append((False, f"</{tag}>"))

    def handle_data(self, data: str) -> None:
        self.tokens.append((True, data))

    def handle_comment(self, data: str) -> None:
        self.tokens.append((False, f"<!--{data}-->"))

    def handle_decl(self, decl: str) -> None:
        self.tokens.append((False, f"<!{decl}>"))

    def handle_pi(self, data: str) -> None:
        self.tokens.append((False, f"<?{data}>"))

    def unknown_decl(self, data: str) -> None:
        self.tokens.append((False, f"<![{data}]>"))


def tokenize(html: str) -> list[tuple[bool, str]]:
    """(is_text, value) tokens of `html`: tags as written, text with references decoded."""
    if "<" not in html and "&" not in html:
        return [(True, html)] if html else []  # plain text (a passage edited by hand)
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return parser.tokens


def text_content(html: str) -> str:
    """The text content of `html` (what `Passage.text` equals)."""
    return "".join(value for is_text, value in tokenize(html) if is_text)


class _Segments:
    """The text cut at every range boundary, with the threads covering each piece."""

    def __init__(self, ranges: list[Highlight]) -> None:
        events: dict[int, list[tuple[int, int]]] = {}  # position → [(+1/-1, thread)]
        for start, end, thread, _ in ranges:
            events.setdefault(start, []).append((1, thread))
            events.setdefault(end, []).append((-1, thread))
        self.bounds = sorted(events)
        self.threads: list[tuple[int, ...]] = []  # threads over bounds[i]..bounds[i+1]
        self.starting: list[list[int]] = []  # threads whose first range starts at bounds[i]
        active: dict[int, int] = {}
        seen: set[int] = set()
        for position in self.bounds:
            starting = []
            for delta, thread in events[position]:
                count = active.get(thread, 0) + delta
                if count:
                    active[thread] = count
                else:
                    del active[thread]
                if delta > 0 and thread not in seen:
                    seen.add(thread)
                    starting.append(thread)
            self.threads.append(tuple(active))
            self.starting.append(starting)

    def at(self, position: int) -> int:
        """Index of the segment holding `position` (-1 before the first bound)."""
        return bisect.bisect_right(self.bounds, position) - 1


def _clip(ranges: Iterable[Highlight], length: int) -> list[Highlight]:
    clipped = [
        Highlight(max(0, r.start), min(length, r.end), r.thread_id, r.comments)
        for r in (Highlight(*r) for r in ranges)
        if max(0, r.start) < min(length, r.end)
    ]
    clipped.sort()
    return clipped


def _groups(clipped: list[Highlight]) -> dict[tuple[int, int], list[Highlight]]:
    """The distinct highlights: (start, end) → the threads on exactly those words."""
    groups: dict[tuple[int, int], list[Highlight]] = {}
    for highlight in clipped:
        groups.setdefault((highlight.start, highlight.end), []).append(highlight)
    return groups


def highlight_html(html: str, ranges: Iterable[Highlight]) -> str:
    """`html` with every character of every range inside a `<mark>` (see the module doc).

    `ranges` are (start, end, thread_id[, comments]) offsets into the text content of `html`.
    """
    ranges = list(ranges)
    if not ranges:
        return html
    tokens = tokenize(html)
    text = "".join(value for is_text, value in tokens if is_text)
    clipped = _clip(ranges, len(text))
    if not clipped:
        return html
    segments = _Segments(clipped)
    # One button per distinct range, on behalf of the first of its threads.
    first: dict[int, Highlight] = {}
    for (start, end), group in _groups(clipped).items():
        first.setdefault(group[0].thread_id, Highlight(start, end, group[0].thread_id))
    ends: dict[int, int] = {}  # where highlights end → how many end there
    for highlight in first.values():
        ends[highlight.end] = ends.get(highlight.end, 0) + 1
    plain_marks: dict[int, str] = {}  # segment → its opening tag

    out: list[str] = []
    position = 0
    bounds, covering, starting = segments.bounds, segments.threads, segments.starting
    last = len(bounds) - 1
    for is_text, value in tokens:
        if not is_text:
            out.append(value)
            continue
        stop = position + len(value)
        index = segments.at(position)
        cut = position
        needs_escape = "&" in value or "<" in value or ">" in value
        while cut < stop:
            piece_end = min(stop, bounds[index + 1]) if index < last else stop
            piece = value[cut - position : piece_end - position]
            if needs_escape:
                piece = escape(piece, quote=False)
            threads = covering[index] if index >= 0 else ()
            if threads:
                mark = plain_marks.get(index)
                if mark is None:
                    mark = plain_marks[index] = _open_mark(threads)
                out.append(mark)
                if cut == bounds[index]:
                    opening = [t for t in starting[index] if t in first]
                    opening.sort(key=lambda t: (first[t].end, t))
                    out.extend(_button(t) for t in opening)
                out.append(piece)
                if piece_end in ends and index < last and piece_end == bounds[index + 1]:
                    out.append(_end_marker(ends.pop(piece_end)))
                out.append("</mark>")
            else:
                out.append(piece)
            cut = piece_end
            index += 1
        position = stop
    return "".join(out)


def describe_highlights(ranges: Iterable[Highlight], length: int) -> str:
    """The descriptions the buttons of `highlight_html(…, ranges)` point at (`hld-<thread>`),
    for an element outside the passage's text (whose text content must stay the passage's):
    "3 comments, 2 threads", and "overlaps 1 other highlight" where ranges cross."""
    groups = list(_groups(_clip(ranges, length)).items())
    starts = sorted(start for (start, _), _ in groups)
    ends = sorted(end for (_, end), _ in groups)
    out = []
    for (start, end), group in groups:
        # Those starting before this one ends, less those ending before it starts, less itself.
        crossing = bisect.bisect_left(starts, end) - bisect.bisect_right(ends, start) - 1
        comments = sum(h.comments for h in group)
        parts = [
            f"{comments} comment{'' if comments == 1 else 's'}",
            f"{len(group)} thread{'' if len(group) == 1 else 's'}",
        ]
        if crossing:
            parts.append(f"overlaps {crossing} other highlight{'' if crossing == 1 else 's'}")
        out.append(f'<span id="hld-{group[0].thread_id}">{", ".join(parts)}</span>')
    return "".join(out)


def _open_mark(threads: tuple[int, ...]) -> str:
    classes = "hl" if len(threads) == 1 else f"hl hl--{len(threads)}"
    return f'<mark class="{classes}" data-threads="{" ".join(map(str, threads))}">'


def _button(thread: int) -> str:
    return (
        f'<span class="hl-open" id="hl-{thread}" role="button" tabindex="0" '
        f'aria-label="annotation start" aria-describedby="hld-{thread}" '
        f'aria-expanded="false" aria-controls="thread-panel"></span>'
    )


def _end_marker(count: int) -> str:
    label = "annotation end" if count == 1 else f"{count} annotations end"
    return f'<span class="hl-end" data-label="{label}"></span>'
