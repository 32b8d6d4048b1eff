"""A PDF page's text layer → lines with their position and size (pypdf, see `pdf`).

pypdf hands each run of text to a visitor with its text matrix, the current transformation
matrix and the font size; a run ending in a newline ends its line. The run's place on the page
is the translation of (text matrix × CTM), and its size the font size scaled by both
matrices, so files that set `1 Tf` and scale with the text matrix measure like those that
set `12 Tf`. A line keeps its runs (`Run`): a run smaller than the line and raised above it
is a note reference ("∗", "1").

Ligatures (ﬁ, ﬀ ...) become their letters, soft hyphens go, and a spacing accent set before
its letter, as TeX does ("Amp`ere", "¨Oersted"), is put on it ("Ampère", "Öersted").
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from pypdf import PageObject

_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "ft", "ﬆ": "st", "\xad": ""}
)
_ACCENTS = {"¨": "\u0308", "´": "\u0301", "˜": "\u0303", "¸": "\u0327", "ˇ": "\u030c"}
_ACCENTS |= {"˚": "\u030a", "ˆ": "\u0302", "`": "\u0300"}
_ACCENT_BEFORE_LETTER = re.compile(r"([¨´˜¸ˇ˚ˆ]|(?<=[^\W\d_])`)\s?([^\W\d_])")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Ligatures spelt out, soft hyphens and control characters dropped, TeX's spacing
    accents put on their letters."""
    text = _CONTROL.sub("", text.translate(_LIGATURES))
    if any(accent in text for accent in _ACCENTS):
        text = _ACCENT_BEFORE_LETTER.sub(
            lambda m: unicodedata.normalize("NFC", m.group(2) + _ACCENTS[m.group(1)]), text
        )
    return text


@dataclass
class Run:
    text: str
    size: float
    y: float


@dataclass
class Line:
    page: int
    x: float
    y: float
    runs: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(run.text for run in self.runs).split())

    @property
    def size(self) -> float:
        """The size most of the line's letters are set in."""
        weight: dict[float, int] = {}
        for run in self.runs:
            weight[run.size] = weight.get(run.size, 0) + len(run.text.strip())
        return max(weight, key=weight.__getitem__) if weight else 0.0


def _scale(matrix: list[float]) -> float:
    return math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2])) or 1.0


def page_lines(page: PageObject, number: int) -> list[Line]:
    """The page's lines, top to bottom as the content stream gives them."""
    lines: list[Line] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        run_size = round(size * _scale(tm) * _scale(cm), 1)
        piece = clean_text(text)
        current = lines[-1] if lines else None
        ends_line = piece.endswith("\n")
        piece = piece.replace("\n", " ") if ends_line else piece
        if not piece.strip():
            if ends_line and current is not None:
                current.runs.append(Run(" ", run_size, y))
            return
        same_line = (
            current is not None
            and abs(current.y - y) <= max(run_size, current.size or run_size) * 0.6
        )
        if not same_line:
            current = Line(number, x, y)
            lines.append(current)
        current.runs.append(Run(piece, run_size, y))

    page.extract_text(visitor_text=visit)
    return [line for line in lines if line.text]
