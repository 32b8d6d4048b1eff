"""Headings as books type them: "CHAPTER XII.", "Chapter 3: The Market", "BOOK ONE: 1805",
"PART II", "IV.  POSITION OF THE COMMUNISTS", "Preface" — recognised in a line of text and
turned into a readable chapter title ("IV: Position of the Communists").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .inline import collapse
from .titles import smart_title

NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final"
)
KEYWORD_HEADING = re.compile(
    r"^(?P<kw>chapter|chap\.|book|part|volume|vol\.|section|act|canto|letter|stave)\s+"
    rf"(?P<num>\d{{1,3}}|[IVXLCDM]+|(?:{NUMBER_WORDS})(?:[- ](?:{NUMBER_WORDS}))?)"
    r"(?![\w'’])\.?(?:\s*[:.—–-]+\s*|\s+)?(?P<title>.*)$",
    re.IGNORECASE,
)
UPPER_KEYWORDS = {"book", "part", "volume", "vol."}
ROMAN_HEADING = re.compile(r"^(?P<num>[IVXLC]+)\.?(?:\s+(?P<title>\S.*))?$")
STANDALONE_HEADING = re.compile(
    r"^(?:preface|introduction|foreword|prologue|epilogue|afterword|conclusion|postscript|"
    r"appendix(?:\s+[A-Z0-9]+)?|glossary|bibliography|acknowledge?ments|dedication|"
    r"contents|table of contents|(?:end|foot)?notes)"
    r"(?:\s+(?:to|by|of)\s+[^.!?]{1,60})?\.?$",
    re.IGNORECASE,
)
TOC_TITLES = re.compile(r"^(?:contents|table of contents|list of illustrations)\.?$", re.I)
CLOSING = tuple(".,;:!…\"”’'—–-)]")
TOC_LINE = re.compile(r"^.*\S(?:[ \t]{3,}|\s*\.{3,}\s*)(?:\d{1,4}|[ivxlc]{1,7})\s*$")
PAGE_LABEL = re.compile(r"^(?:page|pages|pp?\.)$", re.IGNORECASE)


@dataclass
class Heading:
    title: str
    level: int  # 1 book/part, 2 chapter, 0 standalone (preface, ...)
    numbered: bool


def no_lowercase(value: str) -> bool:
    return not any(ch.islower() for ch in value) and any(ch.isalpha() for ch in value)


TRAILING_REFERENCE = re.compile(r"(?:(?<=[.,;:!?…\"”’')\]])\d{1,3}|\[\d{1,3}\])$")


def ends_open(value: str) -> bool:
    """True when a line ends without closing punctuation (a heading-like ending). A note
    reference after the punctuation does not count: "Marx said so himself.1" is closed."""
    value = value.strip().strip("_*").strip()
    value = TRAILING_REFERENCE.sub("", value).rstrip("_*")
    return bool(value) and not value.endswith(CLOSING)


def line_heading(line: str) -> Heading | None:
    line = line.strip().strip("_*").strip()
    if match := KEYWORD_HEADING.match(line):
        title = match.group("title").strip()
        if len(title) > 80 or title.endswith((",", ";")) or ". " in title:
            return None
        keyword = smart_title(match.group("kw")).capitalize()
        if keyword.endswith("."):
            keyword = {"Chap.": "Chapter", "Vol.": "Volume"}[keyword]
        number = match.group("num")
        number = number.upper() if re.fullmatch(r"[ivxlcdm]+", number, re.I) else number
        number = number if number.isupper() or number.isdigit() else number.capitalize()
        if number.isupper() and not re.fullmatch(r"[IVXLCDM]+", number):
            number = smart_title(number)
        label = f"{keyword} {number}"
        title = smart_title(_without_stop(title))
        level = 1 if match.group("kw").lower() in UPPER_KEYWORDS else 2
        return Heading(f"{label}: {title}" if title else label, level, True)
    if (match := ROMAN_HEADING.match(line)) and match.group("num") not in {"C", "D", "L", "M"}:
        title = (match.group("title") or "").strip()
        if title and not (
            no_lowercase(title)
            or (len(title) <= 60 and ends_open(title) and len(title.split()) <= 8)
        ):
            return None
        title = smart_title(_without_stop(title))
        number = match.group("num")
        return Heading(f"{number}: {title}" if title else number, 2, True)
    if STANDALONE_HEADING.match(line):
        return Heading(smart_title(line.rstrip(".")), 0, False)
    return None


def _without_stop(title: str) -> str:
    """A title without its closing full stop, unless the stop belongs to "etc." or "…"."""
    if title.lower().endswith(("etc.", "...")):
        return title
    return title.rstrip(".")


def chapter_title(text: str) -> str:
    """A heading's text as a chapter's title: a typed heading ("CHAPTER I. THE HARBOUR
    LIGHT.") in the book's form ("Chapter I: The Harbour Light"), anything else with its
    capitals made readable and without a closing full stop or colon ("FOOTNOTES:" →
    "Footnotes")."""
    text = collapse(text)
    heading = line_heading(text)
    if heading is not None and heading.numbered:
        return heading.title
    return smart_title(_without_stop(text.rstrip(":").rstrip()))


_NUMERAL_ONLY = re.compile(
    rf"^(?:(?:chapter|chap\.|book|part|volume|section|letter|canto|stave)\s+)?"
    rf"(?:[IVXLCDM]+|\d{{1,3}}|(?:{NUMBER_WORDS})(?:[- ](?:{NUMBER_WORDS}))?)\.?$",
    re.IGNORECASE,
)


def is_numeral_only(text: str) -> bool:
    """A heading that is only a number: "I", "XII.", "Chapter IV", "BOOK TWO"."""
    return bool(_NUMERAL_ONLY.match(collapse(text)))


def is_part_title(text: str) -> bool:
    """A heading naming a part, book or volume ("PART I", "Book Two: 1806")."""
    match = KEYWORD_HEADING.match(collapse(text))
    return bool(match) and match.group("kw").lower() in UPPER_KEYWORDS
