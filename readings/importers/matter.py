"""Front matter, main text, back matter: which part of a book each chapter belongs to.

A book's chapters are the main text; before them may come front matter (a preface, an
introduction, a dedication, a translator's note) and after them back matter (notes, an
appendix, a glossary, a bibliography, an index). Readers, planners and calendars name every
chapter by its title, and show front and back matter as such, so that "Chapter XVIII" is
never called "chapter 19" because a preface came first.

The rule, for chapters whose importer did not already know (an EPUB's `epub:type`, a PDF
outline's "Front Matter" group): a chapter is front matter when its title names a kind of
front matter and every chapter before it is front matter too; back matter likewise from the
end. A "Preface" between two chapters stays main text (a preface to the second part), and so
does everything when nothing would be left for the main text (an essay titled
"Introduction").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

FRONT = "front"
MAIN = "main"
BACK = "back"
KINDS = (FRONT, MAIN, BACK)

_WHOSE = r"(?:(?:the\s+)?(?:translator|editor|author|publisher|printer|transcriber)s?['’]?s?\s+)"
_ABOUT = r"(?:\s+(?:to|by|of|for|on|from)\b.*)?"
_FRONT = re.compile(
    rf"^(?:{_WHOSE}?(?:preface|prefatory\s+note|foreword|introduction|introductory\s+\w+)"
    rf"{_ABOUT}"
    r"|(?:table\s+of\s+)?contents|title(?:\s+page)?|half[\s-]title|dedication|epigraph"
    r"|acknowledge?ments?|frontispiece|copyright(?:\s+page)?|imprint|abbreviations"
    r"|chronology|list\s+of\s+\w+|illustrations|to\s+the\s+reader|advertisement"
    rf"|{_WHOSE}?note(?:s)?(?:\s+on\s+the\s+\w+)?|about\s+this\s+(?:edition|book|ebook)"
    r"|front\s*matter)$",
    re.IGNORECASE,
)
_BACK = re.compile(
    r"^(?:(?:end|foot|explanatory|editorial|textual|author['’]?s|translator['’]?s)?\s*notes?"
    r"(?:\s+(?:to|on)\b.*)?|appendix(?:\s+\S+)?(?:\s*[:.—–-].*)?|appendices|glossary"
    r"|bibliography|references|sources|further\s+reading|index(?:es)?|afterword"
    r"|colophon|about\s+the\s+authors?|licen[cs]e|errata|typographical\s+errors.*"
    rf"|{_WHOSE}?notes?|back\s*matter|the\s+end)$",
    re.IGNORECASE,
)


def _plain(title: str) -> str:
    """The title without its outer punctuation ("Preface." → "Preface"). A numbered title
    ("1. Introduction", "Chapter 1: Introduction") keeps its number and so names a chapter
    of the main text."""
    return " ".join(title.split()).strip(" .:;")


def names_front_matter(title: str) -> bool:
    """Whether a title names a kind of front matter ("Preface", "Introduction by ...")."""
    return bool(_FRONT.match(_plain(title)))


def names_back_matter(title: str) -> bool:
    """Whether a title names a kind of back matter ("Notes", "Appendix B", "Index")."""
    return bool(_BACK.match(_plain(title)))


def classify(titles: Sequence[str], known: Sequence[str] = ()) -> list[str]:
    """The kind of each chapter (FRONT, MAIN or BACK) from its title and place; `known`
    holds kinds already decided (or "" where not), which are kept."""
    known = list(known) or [""] * len(titles)
    kinds = list(known)
    index = 0
    while index < len(titles) and (
        known[index] == FRONT or (not known[index] and names_front_matter(titles[index]))
    ):
        kinds[index] = FRONT
        index += 1
    end = len(titles)
    while end > index and (
        known[end - 1] == BACK or (not known[end - 1] and names_back_matter(titles[end - 1]))
    ):
        kinds[end - 1] = BACK
        end -= 1
    for middle in range(index, end):
        kinds[middle] = kinds[middle] or MAIN
    if MAIN not in kinds and not any(known):
        return [MAIN] * len(titles)
    return kinds
