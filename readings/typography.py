"""Typographic variants: the same words whatever the quotation marks, dashes and spaces.

Editions of a text differ in typography that says nothing about the words: curly or straight
quotation marks and apostrophes, an em dash or two hyphens (with or without spaces around it),
an ellipsis character or three full stops, a no-break space or a plain one, a ligature. Two
foldings make such variants compare equal:

- `align_key` keeps lengths (one character for one), for aligning texts character by
  character: quotation marks, apostrophes, dashes and spaces become one plain character each.
  A "--" against an "—" is then a small edit inside long equal stretches.
- `fold` is the finer folding used to match a quote: any space character becomes " "; a dash
  (any dash character, "--" or a spaced hyphen) with the spaces around it becomes "—"; quotation
  marks become '"' and apostrophes "'"; an ellipsis becomes "..."; ligatures are spelled out;
  soft hyphens and zero-width characters vanish. It keeps, for every folded character, where it
  came from in the original, so a match in the folded text is a span of the original.

Letters, digits, case and accents are never folded: "colour" and "color" are different words.
"""

from __future__ import annotations

import re
from array import array
from functools import lru_cache

DOUBLE_QUOTES = '"“”„‟«»″〝〞＂'
SINGLE_QUOTES = "'‘’‚‛′`´ʼ＇"
DASHES = "‐‑‒–—―−⸺⸻"
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}

_ALIGN_TABLE = str.maketrans(
    {
        **dict.fromkeys(map(ord, DOUBLE_QUOTES), '"'),
        **dict.fromkeys(map(ord, SINGLE_QUOTES), "'"),
        **dict.fromkeys(map(ord, DASHES), "-"),
        **dict.fromkeys(map(ord, "\t\n\r\x0b\x0c\u00a0\u1680\u2028\u2029\u202f\u205f\u3000"), " "),
        **dict.fromkeys(range(0x2000, 0x200B), " "),
    }
)


_ALIGN_REPLACEMENTS = {chr(code): value for code, value in _ALIGN_TABLE.items()}
_ALIGN_SPECIAL = re.compile("[" + re.escape("".join(_ALIGN_REPLACEMENTS)) + "]")


def align_key(text: str) -> str:
    """`text` with typographic variants folded one character for one (same length)."""
    # A regular expression finds the few characters to fold ten times faster than
    # str.translate looks up every character.
    return _ALIGN_SPECIAL.sub(lambda match: _ALIGN_REPLACEMENTS[match.group()], text)


_DASH = f"(?:[{DASHES}]|--+)"
# Folded one character for one (a plain str.replace each, fast): quotation marks, apostrophes
# and spaces of every kind.
_ONE_FOR_ONE = {
    **dict.fromkeys(DOUBLE_QUOTES, '"'),
    **dict.fromkeys(SINGLE_QUOTES, "'"),
    **dict.fromkeys("\t\n\r\x0b\x0c\u00a0\u1680\u2028\u2029\u202f\u205f\u3000", " "),
    **dict.fromkeys(map(chr, range(0x2000, 0x200B)), " "),
}
# Then the rest, whose length changes (rare in any text, so the regular expression is fast).
_SPECIAL = re.compile(
    rf" *{_DASH} *"  # a dash and the spaces around it
    r"| +- +"  # a spaced hyphen, used as a dash
    rf"|[{INVISIBLE}…]"
    rf"|[{''.join(LIGATURES)}]"
)


def _one_for_one(text: str) -> str:
    for character, replacement in _ONE_FOR_ONE.items():
        if character in text:
            text = text.replace(character, replacement)
    return text


def _replacement(piece: str) -> str:
    if piece in LIGATURES:
        return LIGATURES[piece]
    if piece == "…":
        return "..."
    if piece in INVISIBLE:
        return ""
    return "—"  # a dash, or a spaced hyphen, with the spaces around it


class Folded:
    """A folded text and, for each of its characters, the span of the original it stands for.

    The offsets are worked out on first use (most folded texts are only searched): folded
    character `i` stands for original characters [starts[i], ends[i]); several folded
    characters may share one original span (an ellipsis is three full stops).
    """

    def __init__(self, original: str) -> None:
        self.original = original
        self.text = fold_text(original)
        self._starts: array | None = None
        self._ends: array | None = None

    def __repr__(self) -> str:
        return f"<Folded {self.text[:40]!r}>"

    def _maps(self) -> tuple[array, array]:
        if self._starts is None or self._ends is None:
            self._starts, self._ends = _offsets(self.original)
        return self._starts, self._ends

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of folded characters [start, end), spaces at its edges trimmed."""
        if self.text == self.original:
            raw_start, raw_end = start, max(start, end)
        elif start >= end:
            starts, _ = self._maps()
            position = starts[start] if start < len(self.text) else len(self.original)
            return position, position
        else:
            starts, ends = self._maps()
            raw_start, raw_end = starts[start], ends[end - 1]
        while raw_start < raw_end and self.original[raw_start].isspace():
            raw_start += 1
        while raw_end > raw_start and self.original[raw_end - 1].isspace():
            raw_end -= 1
        return raw_start, raw_end

    def position(self, raw: int) -> int:
        """The folded offset of original offset `raw` (the first folded character at or after
        it; the folded length at the end)."""
        if self.text == self.original:
            return min(max(raw, 0), len(self.text))
        _, ends = self._maps()
        low, high = 0, len(ends)
        while low < high:
            middle = (low + high) // 2
            if ends[middle] <= raw:
                low = middle + 1
            else:
                high = middle
        return low

    def find_all(self, needle: str) -> list[int]:
        """Folded start offsets of every (possibly overlapping) occurrence of folded `needle`."""
        found: list[int] = []
        if not needle:
            return found
        position = self.text.find(needle)
        while position != -1:
            found.append(position)
            position = self.text.find(needle, position + 1)
        return found


@lru_cache(maxsize=512)
def fold(text: str) -> Folded:
    """`text` with its typographic variants folded (see the module docstring), with offsets."""
    return Folded(text)


def _offsets(text: str) -> tuple[array, array]:
    starts = array("l")
    ends = array("l")
    position = 0
    for match in _SPECIAL.finditer(_one_for_one(text)):
        if match.start() > position:
            starts.extend(range(position, match.start()))
            ends.extend(range(position + 1, match.start() + 1))
        replacement = _replacement(match.group())
        starts.extend([match.start()] * len(replacement))
        ends.extend([match.end()] * len(replacement))
        position = match.end()
    if position < len(text):
        starts.extend(range(position, len(text)))
        ends.extend(range(position + 1, len(text) + 1))
    return starts, ends


def fold_text(text: str) -> str:
    """The folded text alone (for comparing two pieces of text)."""
    return _SPECIAL.sub(lambda match: _replacement(match.group()), _one_for_one(text))
