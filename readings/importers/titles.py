"""Readable titles from headings typed in capitals."""

from __future__ import annotations

import re

from .inline import collapse

_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "the",
        "to",
        "upon",
        "via",
        "with",
    ]
)
_ROMAN = re.compile(r"^[IVXLCDM]+[.,:;]?$")
_WORD = re.compile(r"\S+")


def _mostly_capitals(value: str) -> bool:
    letters = [ch for ch in value if ch.isalpha()]
    if len(letters) < 2:
        return False
    upper = sum(1 for ch in letters if ch.isupper())
    return upper / len(letters) >= 0.7


def _cap_word(word: str, first: bool) -> str:
    if _ROMAN.match(word) and word.rstrip(".,:;") not in {"I", "A"}:
        return word
    lowered = word.lower()
    if not first and lowered.strip("\"'“”‘’(),.:;") in _SMALL_WORDS:
        return lowered
    parts = lowered.split("-")
    out = []
    for part in parts:
        for index, ch in enumerate(part):
            if ch.isalpha():
                part = part[:index] + ch.upper() + part[index + 1 :]
                break
        out.append(part)
    return "-".join(out)


def smart_title(value: str) -> str:
    """Whitespace collapsed; a title typed in capitals becomes title case.

    "IV.  POSITION OF THE COMMUNISTS" → "IV. Position of the Communists"; titles already in
    mixed case are left alone.
    """
    value = collapse(value)
    if not _mostly_capitals(value):
        return value
    words = []
    for index, match in enumerate(_WORD.finditer(value)):
        word = match.group()
        if any(ch.islower() for ch in word):
            words.append(word)
        else:
            words.append(_cap_word(word, first=index == 0 or words[-1].endswith(":")))
    return " ".join(words)


def shorten(value: str, words: int = 8) -> str:
    """The first few words of a passage, as a fallback title."""
    parts = collapse(value).split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",;:") + "…"


_BYLINE = re.compile(r"^by[\s:]+(.+)$", re.IGNORECASE)
_NOT_A_NAME = frozenset({"the", "a", "an", "his", "her", "its", "their", "one", "which", "way"})
_DEGREES = re.compile(r",.*$")


def byline_author(text: str) -> str:
    """The author named by a title page's byline: "by Jane Austen" → "Jane Austen", "BY MARA
    ELLISON" → "Mara Ellison", "By A. N. WHITEHEAD, Sc.D., F.R.S." → "A. N. Whitehead";
    "" when `text` is no byline ("by the author of ...", or too long to be a name)."""
    match = _BYLINE.match(collapse(text))
    if not match:
        return ""
    name = _DEGREES.sub("", match.group(1)).strip(" .,;:")
    if not name or len(name.split()) > 6 or not name[0].isupper():
        return ""
    if name.split()[0].lower() in _NOT_A_NAME and name.split()[0].istitle():
        return ""  # "By The ..." is a phrase; "By A. N. Whitehead" is a name
    return smart_title(name)
