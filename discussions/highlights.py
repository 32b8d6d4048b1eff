"""Highlights: `<mark>` elements over the anchored phrases of a passage's HTML.

Anchors are offsets into `Passage.text`, the text content of `Passage.html`. `highlight_html`
walks the HTML once and wraps the characters covered by highlight ranges in marks:

- Marks wrap text only and are closed before any tag and reopened after it, so a mark never
  contains part of an element (`<em>` stays whole, `<a>` keeps its children) and the output is
  as well-formed as the input.
- Overlapping ranges cut the text into segments, each covered by a fixed set of threads; one
  mark per segment (and per text run) lists them all in `data-threads`, and its depth class
  (`hl--2`, `hl--3`…) says how many overlap there.
- The first piece of each thread's highlight is its button: `id="hl-<thread>"`,
  `tabindex="0"`, `role="button"` and an `aria-label` naming the quoted words, so keyboard and
  screen-reader users reach every thread (the page's script opens it). When several threads
  start on the same piece, the one ending soonest takes it and the others take their next free
  piece; a thread whose range is identical to another's shares that thread's button (its
  `data-threads` lists both).
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

# Words of the quote named in a highlight's accessible label.
LABEL_WORDS = 6
LABEL_CHARS = 60


class Highlight(NamedTuple):
    """Characters start..end of the passage text belong to thread `thread_id`."""

    start: int
    end: int
    thread_id: int


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
        for start, end, thread in ranges:
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


def highlight_html(html: str, ranges: Iterable[Highlight]) -> str:
    """`html` with every character of every range inside a `<mark>` (see the module doc).

    `ranges` are (start, end, thread_id) offsets into the text content of `html`.
    """
    ranges = [Highlight(*r) for r in ranges]
    if not ranges:
        return html
    tokens = tokenize(html)
    text = "".join(value for is_text, value in tokens if is_text)
    clipped = [
        Highlight(max(0, start), min(len(text), end), thread)
        for start, end, thread in ranges
        if max(0, start) < min(len(text), end)
    ]
    if not clipped:
        return html
    clipped.sort()
    segments = _Segments(clipped)
    # Where each thread's highlight starts and ends first, and what it quotes.
    first: dict[int, Highlight] = {}
    for highlight in clipped:
        first.setdefault(highlight.thread_id, highlight)
    pending: set[int] = set()  # threads that have started but have no button yet
    plain_marks: dict[int, str] = {}  # segment → its opening tag, without a button

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
                if cut == bounds[index]:
                    pending.update(starting[index])
                button = _pick_button(threads, pending, first) if pending else None
                if button is not None:
                    pending.discard(button)
                    out.append(_open_mark(threads, button, first, text))
                else:
                    mark = plain_marks.get(index)
                    if mark is None:
                        mark = plain_marks[index] = _open_mark(threads, None, first, text)
                    out.append(mark)
                out.append(piece)
                out.append("</mark>")
            else:
                out.append(piece)
            cut = piece_end
            index += 1
        position = stop
    return "".join(out)


def _pick_button(
    threads: tuple[int, ...], pending: set[int], first: dict[int, Highlight]
) -> int | None:
    """The thread whose button this piece becomes: of those here still without one, the one
    whose first range ends soonest (so a long range leaves the piece to a short one inside)."""
    waiting = [t for t in threads if t in pending]
    if not waiting:
        return None
    return min(waiting, key=lambda t: (first[t].end, first[t].start, t))


def _open_mark(
    threads: tuple[int, ...], button: int | None, first: dict[int, Highlight], text: str
) -> str:
    classes = "hl" if len(threads) == 1 else f"hl hl--{len(threads)}"
    ids = " ".join(map(str, threads))
    attrs = f'class="{classes}" data-threads="{ids}"'
    if button is not None:
        highlight = first[button]
        label = f"Open the discussion on “{_first_words(text[highlight.start : highlight.end])}”"
        attrs += (
            f' id="hl-{button}" tabindex="0" role="button" aria-label="{escape(label, quote=True)}"'
        )
    return f"<mark {attrs}>"


def _first_words(quote: str) -> str:
    """The start of a quote for a label: a few words, with "…" when cut short."""
    words = quote[: LABEL_CHARS * 2].split()
    short = " ".join(words[:LABEL_WORDS])
    if len(short) > LABEL_CHARS:
        short = short[:LABEL_CHARS].rstrip()
    return short + "…" if short != " ".join(quote.split()) else short
