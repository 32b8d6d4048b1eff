"""Matching a quote in a text: occurrences, context agreement and fuzzy matches.

The pieces `discussions.anchoring` builds its rules from. Every function works on text that
was folded the same way on both sides (`readings.typography.fold`), so a curly quotation mark
against a straight one, or "--" against "—", never counts as a difference. A "quote" here is
anything with `exact`, `prefix` and `suffix` strings (a `Selector`).
"""

from __future__ import annotations

import re
from typing import Protocol

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .selectors import CONTEXT

# Minimum similarity (0..100) between the quote and a fuzzy match. 85 lets a typo fix or one
# changed word in a sentence through (a 40-character quote with a 4-letter word replaced scores
# about 90) but not a rewritten sentence, nor a short quote with a different key word.
FUZZY_THRESHOLD = 85
# How many adjacent context characters must agree to "confirm" an occurrence.
CONFIRM_CHARS = 8
# Minimum similarity (0..1) of the stored context and the new context around a fuzzy match,
# on at least one side. Unrelated English snippets score about 0.4-0.55.
CONTEXT_SIMILARITY = 0.7
# The highest score (0..100) of a fuzzy match that adds or drops a negation.
NEGATED_SCORE = 50
NEGATIONS = frozenset(
    {"not", "no", "never", "nor", "neither", "none", "nobody", "nothing", "nowhere", "cannot"}
)


class Quote(Protocol):
    exact: str
    prefix: str
    suffix: str


def occurrences(exact: str, text: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of `exact` in `text`."""
    found = []
    position = text.find(exact) if exact else -1
    while position != -1:
        found.append(position)
        position = text.find(exact, position + 1)
    return found


def prefix_agreement(quote: Quote, text: str, start: int) -> int:
    """Characters of the stored prefix that match right before `start`, counted outward; plus
    one when the stored prefix reached the passage start and so does this one."""
    prefix = quote.prefix
    window = text[max(0, start - len(prefix)) : start]
    count = 0
    while count < len(window) and prefix[-1 - count] == window[-1 - count]:
        count += 1
    edge = len(prefix) < CONTEXT and count == len(prefix) and start == len(prefix)
    return count + (1 if edge else 0)


def suffix_agreement(quote: Quote, text: str, end: int) -> int:
    """Like `prefix_agreement`, after `end`, with the passage end."""
    suffix = quote.suffix
    window = text[end : end + len(suffix)]
    count = 0
    while count < len(window) and suffix[count] == window[count]:
        count += 1
    edge = len(suffix) < CONTEXT and count == len(suffix) and end + len(suffix) == len(text)
    return count + (1 if edge else 0)


def agreement(quote: Quote, text: str, start: int) -> int:
    """Characters of context (both sides) that agree around the occurrence at `start`."""
    end = start + len(quote.exact)
    return prefix_agreement(quote, text, start) + suffix_agreement(quote, text, end)


def confirmed(quote: Quote, text: str, start: int) -> bool:
    """Whether the context right next to an occurrence agrees with the stored context on at
    least one side (CONFIRM_CHARS characters, or all of a shorter context up to the edge)."""
    end = start + len(quote.exact)
    for stored, agreed in (
        (quote.prefix, prefix_agreement(quote, text, start)),
        (quote.suffix, suffix_agreement(quote, text, end)),
    ):
        needed = min(CONFIRM_CHARS, len(stored) + (1 if len(stored) < CONTEXT else 0))
        if needed and agreed >= needed:
            return True
    return False


def kept_one_side(quote: Quote, text: str, start: int) -> bool:
    """Whether all the stored context on one side (the passage edge included, when it was
    that close) still surrounds the occurrence at `start`."""
    end = start + len(quote.exact)
    return any(
        agreed == len(stored) + (1 if len(stored) < CONTEXT else 0)
        for stored, agreed in (
            (quote.prefix, prefix_agreement(quote, text, start)),
            (quote.suffix, suffix_agreement(quote, text, end)),
        )
    )


def fits_better(other: Quote, quote: Quote, text: str, start: int) -> bool:
    """Whether the occurrence at `start` is more like the copy `other` than like `quote`:
    more of its context agrees, or all its context on one side still surrounds it (what a
    copy that an edit left alone keeps) and not `quote`'s."""
    if agreement(other, text, start) > agreement(quote, text, start):
        return True
    return kept_one_side(other, text, start) and not kept_one_side(quote, text, start)


def edit_keeping(old: str, old_start: int, new: str, new_start: int, length: int) -> int:
    """The smallest edit (characters inserted and deleted) that turns `old` into `new` while
    the `length` characters at `old_start` stay, as they are, at `new_start`."""
    return Indel.distance(old[:old_start], new[:new_start]) + Indel.distance(
        old[old_start + length :], new[new_start + length :]
    )


def context_similarity(quote: Quote, text: str, start: int, end: int) -> float:
    """How well the context around text[start:end] matches the stored context (0..1): the
    better of the two sides. An empty stored side matches only the passage edge."""
    before = text[max(0, start - len(quote.prefix)) : start]
    after = text[end : end + len(quote.suffix)]
    scores = []
    for stored, new, at_edge in (
        (quote.prefix, before, start == 0),
        (quote.suffix, after, end == len(text)),
    ):
        if not stored:
            scores.append(1.0 if at_edge else 0.0)
        else:
            scores.append(Indel.normalized_similarity(stored, new))
    return max(scores)


def side_similarity(stored: str, text: str, at: int, direction: int) -> float:
    """How much the text before (`direction` -1) or after (+1) offset `at` is like the stored
    prefix or suffix (0..1). A side shorter than CONTEXT reached the passage edge, so it is
    compared with everything up to the edge (up to CONTEXT characters)."""
    window = text[max(0, at - CONTEXT) : at] if direction < 0 else text[at : at + CONTEXT]
    return Indel.normalized_similarity(stored, window)


def negations(text: str) -> int:
    """How many negating words `text` has ("not", "never", "no", "didn't"...)."""
    words = re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text.casefold())
    return sum(word in NEGATIONS or word.endswith(("n't", "n’t")) for word in words)


def meaning_score(exact: str, span: str, score: float) -> float:
    """A fuzzy match's score (0..100), capped at NEGATED_SCORE when the match adds or drops
    a negation: "the ending is hopeful" and "the ending is not hopeful" are 91% alike as
    characters and opposite in meaning."""
    if negations(exact) != negations(span):
        return min(score, NEGATED_SCORE)
    return score


def fuzzy_in(quote: Quote, text: str, context: bool = True) -> tuple[float, int, int] | None:
    """The best fuzzy match of the quote in `text` that passes the threshold and (unless
    `context` is False) the context check, as (score 0..100, start, end), or None."""
    exact = quote.exact
    if not text.strip():
        return None
    alignment = fuzz.partial_ratio_alignment(exact, text, score_cutoff=FUZZY_THRESHOLD - 10)
    if alignment is None:
        return None
    start, end = _refine(quote, text, alignment.dest_start, alignment.dest_end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    score = fuzz.ratio(exact, text[start:end])
    if score < FUZZY_THRESHOLD:
        return None
    if context and context_similarity(quote, text, start, end) < CONTEXT_SIMILARITY:
        return None
    return score, start, end


def _refine(quote: Quote, text: str, start: int, end: int) -> tuple[int, int]:
    """Move the ends of a fuzzy window to where the span best matches the quote.

    partial_ratio compares windows as long as the quote, so a match whose length changed
    (a word added or fixed) is off by a few characters at its ends. Each end is moved within
    a small radius (coordinate search, two rounds), preferring word boundaries where the
    original quote started or ended on one.
    """
    exact = quote.exact
    radius = min(12, max(3, len(exact) // 8))
    wants_start_boundary = not quote.prefix or not quote.prefix[-1].isalnum()
    wants_end_boundary = not quote.suffix or not quote.suffix[0].isalnum()

    def value(s: int, e: int) -> float:
        bonus = 0.0
        if wants_start_boundary and (s == 0 or not text[s - 1].isalnum()):
            bonus += 1.5
        if wants_end_boundary and (e == len(text) or not text[e].isalnum()):
            bonus += 1.5
        return fuzz.ratio(exact, text[s:e]) + bonus

    for _ in range(2):
        starts = range(max(0, start - radius), min(end - 1, start + radius) + 1)
        start = max(starts, key=lambda s: (value(s, end), -abs(s - start)))
        ends = range(max(start + 1, end - radius), min(len(text), end + radius) + 1)
        end = max(ends, key=lambda e: (value(start, e), -abs(e - end)))
    return start, end


def resembles(span: str, piece: str, score: float) -> bool:
    """Whether `piece` (old text outside the quote) has something at least as much like
    `span` as the quote is (score 0..100): then `span` is that other text, kept, not ours."""
    if len(piece) < len(span) * FUZZY_THRESHOLD / 100:
        return False
    return fuzz.partial_ratio(span, piece, score_cutoff=score) >= score
