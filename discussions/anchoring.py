"""Anchors: where a thread sits in a passage, and finding that place again after an edit.

An anchor is a W3C Web Annotation selector scoped to one passage: `start`/`end` offsets into
`Passage.text` plus the quoted words (`exact`) and up to 32 characters of context on each
side (`prefix`, `suffix`). The server derives the quote and the context from the passage text
(`make_selector`); a client only ever sends offsets.

When a passage's text changes, `reanchor` looks for the quote again, in this order, and stops
at the first rule that gives an answer:

1. the same words at the same offsets — offsets carried through a character diff of the old
   and new text, so an insertion earlier in the passage does not count as a move;
2. the quote found exactly elsewhere in the same passage (context first, then nearest);
   rules 1 and 2 are one ranking in which the carried place wins ties;
3. the quote found exactly in a neighbouring passage (it moved, or the passage was split);
4. a fuzzy match, close to the quote and confirmed by its context ("drifted", with a score);
5. otherwise the anchor is orphaned and keeps its stored quote.

The overriding rule is that an anchor never lands on the wrong words. Being orphaned is
visible and can be fixed by a moderator; a comment silently attached to another sentence is a
lie. So every rule below refuses rather than guesses:

- an occurrence of the quote that was already in the text before the change, somewhere else,
  is a different instance of those words, not ours. It is found by carrying the other old
  occurrences through the diff, and by context: an occurrence that fits another copy's
  context better than ours, or that kept all of another copy's context on one side when it
  kept none of ours, is that copy (for neighbours, when their old text is known). When every
  occurrence left is another copy's, ours was deleted — unless the text cannot say which
  copies went ("the of of of" less "of of " reads the same whichever two did): then an
  occurrence is ours if keeping our copy there takes no bigger an edit than keeping any
  other copy there, and all our stored context on one side still surrounds it, as an edit
  elsewhere leaves it;
- short quotes (under `SHORT_QUOTE` characters: "Paris", "the end") are common enough to
  occur by chance, so they need the same offsets or a confirming context; they are matched
  fuzzily only between their stored prefix and suffix, both still (nearly) unchanged where
  the diff carried the quote (`SHORT_CONTEXT_SIMILARITY`): a typo fixed inside the phrase;
- when context cannot tell several occurrences apart, the nearest one wins only inside the
  same passage; in neighbours the anchor is orphaned;
- a fuzzy match must score at least `FUZZY_THRESHOLD` against the quote itself (character
  similarity: a fixed typo or a changed word, not a rewritten sentence), must agree with the
  stored context on at least one side, must not be more like some other part of the old
  text than like the quote (a neighbouring sentence that merely shares words), and must not
  overlap an exact copy of the quote that the rules above turned down (another copy's words);
- a fuzzy match that adds or drops a negation ("not", "never", "no", "n't"...) is the place
  the words were, but not what they said: it stays "drifted" and its score is capped at
  `NEGATED_SCORE` (50%), whatever its character similarity, so the reader's note ("the text
  changed since this comment") does not call "the ending is not hopeful" a 91% match for
  "the ending is hopeful". The score is the similarity shown to readers, so it is never
  higher than the meaning allows; the threshold is applied to the similarity before the cap.

A thread also keeps its quote as first written (`Comment.anchor_original_exact`, not touched
here), so readers of a drifted thread can see what the comment was about.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

# Characters of context kept on each side of a quote.
CONTEXT = 32
# Minimum similarity (0..100) between the quote and a fuzzy match. 85 lets a typo fix or one
# changed word in a sentence through (a 40-character quote with a 4-letter word replaced scores
# about 90) but not a rewritten sentence, nor a short quote with a different key word.
FUZZY_THRESHOLD = 85
# Quotes shorter than this are matched exactly (with context), never fuzzily.
SHORT_QUOTE = 12
# How many adjacent context characters must agree to "confirm" an occurrence.
CONFIRM_CHARS = 8
# Minimum similarity (0..1) of the stored context and the new context around a fuzzy match,
# on at least one side. Unrelated English snippets score about 0.4-0.55.
CONTEXT_SIMILARITY = 0.7
# A short quote is matched fuzzily only between its stored prefix and suffix, each at least
# this similar (0..1) to what now stands there: unchanged, or two or three characters off.
SHORT_CONTEXT_SIMILARITY = 0.9
# The highest score (0..100) of a fuzzy match that adds or drops a negation.
NEGATED_SCORE = 50
NEGATIONS = frozenset(
    {"not", "no", "never", "nor", "neither", "none", "nobody", "nothing", "nowhere", "cannot"}
)

ANCHORED = "anchored"
DRIFTED = "drifted"
ORPHANED = "orphaned"

SAME = "same"
PREVIOUS = "previous"
NEXT = "next"


class BadAnchor(ValueError):
    """The offsets sent for a new comment do not describe a selection in the passage."""


@dataclass(frozen=True)
class Selector:
    """A place in a passage: offsets (None for the whole passage), the quote and its context."""

    start: int | None
    end: int | None
    exact: str = ""
    prefix: str = ""
    suffix: str = ""

    @property
    def is_whole_passage(self) -> bool:
        return self.start is None


class Candidate(NamedTuple):
    """A passage where an anchor may land after a change, in order of preference.

    `relation` is "same" (the anchor's own passage, new text), "previous" or "next".
    `old_text` is the passage's text before the change when it is known (None for a passage
    that was added): words that were already there are not words that moved there.
    """

    key: str
    text: str
    relation: str
    old_text: str | None = None


@dataclass(frozen=True)
class Placement:
    """Where an anchor ended up.

    For "anchored" and "drifted", `key` is the passage and `text[start:end] == exact` in that
    passage's new text (start/end None for a whole-passage anchor). For "orphaned", `key` is
    None and the stored quote, context and (now historical) offsets are kept.
    """

    status: str
    key: str | None
    start: int | None
    end: int | None
    exact: str
    prefix: str
    suffix: str
    score: float


# Creating anchors ---------------------------------------------------------------------------


def make_selector(
    text: str, start: int | None, end: int | None, context: int = CONTEXT
) -> Selector:
    """The selector for `text[start:end]`, derived from the passage text alone.

    Both offsets None means the whole passage. Otherwise they must be integers with
    0 <= start < end <= len(text); whitespace around the selection is trimmed (the offsets
    move with it) and a selection of only whitespace is refused. Raises `BadAnchor`.
    """
    if start is None and end is None:
        return Selector(None, None)
    if start is None or end is None:
        raise BadAnchor("Give both a start and an end offset, or neither for the whole passage.")
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadAnchor(f"The {name} offset must be a whole number, not {value!r}.")
    if start < 0 or end < 0:
        raise BadAnchor("Offsets cannot be negative.")
    if start >= end:
        raise BadAnchor(f"The selection is empty: its start ({start}) must come before its end.")
    if end > len(text):
        raise BadAnchor(
            f"The selection ends at {end}, beyond the passage ({len(text)} characters)."
        )
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise BadAnchor("The selection contains only whitespace.")
    return _selector_at(text, start, end, context)


def _selector_at(text: str, start: int, end: int, context: int = CONTEXT) -> Selector:
    return Selector(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def to_web_annotation(comment: Any, page_url: str) -> dict:
    """The comment's anchor as a W3C Web Annotation target.

    `page_url` is a page that holds the passage's text as the element `#pt-<key>` (the
    passage's own page, or the circle's chapter page), whose text content is exactly
    `Passage.text`. The page around it has the site's header, the margin's buttons and
    counts, and the threads with their quotes (an orphaned thread's quote is no longer in
    the passage, only in that list), so the selectors are scoped to that element: a client
    that follows them cannot match the app's own words. The scope is named twice, as
    alternatives (the model's `selector` list): a FragmentSelector (the element's id) and a
    CssSelector (`#pt-<key>`), for clients that know only one of them. Each is `refinedBy` a
    TextQuoteSelector and, while the offsets are valid in the current text (not orphaned), a
    TextPositionSelector counted in characters (code points) from the start of the passage
    text. A whole-passage anchor is the scope alone.
    """
    element = f"pt-{comment.passage_key}"
    scopes: list[dict] = [
        {
            "type": "FragmentSelector",
            "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
            "value": element,
        },
        {"type": "CssSelector", "value": f"#{element}"},
    ]
    target: dict = {"source": page_url, "selector": scopes}
    if comment.anchor_start is None and not comment.anchor_exact:
        return target
    refinements: list[dict] = [
        {
            "type": "TextQuoteSelector",
            "exact": comment.anchor_exact,
            "prefix": comment.anchor_prefix,
            "suffix": comment.anchor_suffix,
        }
    ]
    if comment.anchor_start is not None and comment.anchor_status != ORPHANED:
        refinements.append(
            {
                "type": "TextPositionSelector",
                "start": comment.anchor_start,
                "end": comment.anchor_end,
            }
        )
    for scope in scopes:
        scope["refinedBy"] = refinements
    return target


# Re-anchoring -------------------------------------------------------------------------------


def reanchor(anchor: Selector, old_text: str, candidates: list[Candidate]) -> Placement:
    """Find `anchor` (made on `old_text`) again among `candidates` (see the module docstring).

    `candidates` come in order of preference: the anchor's own passage ("same", absent when
    the passage was deleted), then neighbours nearest first. Plain (key, text, relation)
    tuples are accepted.
    """
    candidates = [Candidate(*c) for c in candidates]
    same = next((c for c in candidates if c.relation == SAME), None)
    if anchor.start is None or anchor.end is None:
        return _follow_passage(old_text, same, candidates)
    neighbours = [c for c in candidates if c.relation != SAME]
    return (
        (_in_same_passage(anchor, old_text, same) if same is not None else None)
        or _in_neighbours(anchor, neighbours)
        or (
            _fuzzy(anchor, old_text, candidates)
            if len(anchor.exact) >= SHORT_QUOTE
            else (_fuzzy_short(anchor, old_text, same) if same is not None else None)
        )
        or _orphan(anchor)
    )


def _follow_passage(
    old_text: str, same: Candidate | None, candidates: list[Candidate]
) -> Placement:
    """Whole-passage anchors follow their passage (its key survives edits).

    If the passage was deleted, the anchor follows a passage that now holds exactly the old
    text and did not hold it before (the re-import gave it a new key); otherwise it is
    orphaned, keeping the passage's last text as its quote so the thread stays readable.
    """
    if same is not None:
        return Placement(ANCHORED, same.key, None, None, "", "", "", 1.0)
    for candidate in candidates:
        if old_text and candidate.text == old_text and candidate.old_text != old_text:
            return Placement(ANCHORED, candidate.key, None, None, "", "", "", 1.0)
    return Placement(ORPHANED, None, None, None, old_text, "", "", 0.0)


def _orphan(anchor: Selector) -> Placement:
    return Placement(
        ORPHANED, None, anchor.start, anchor.end, anchor.exact, anchor.prefix, anchor.suffix, 0.0
    )


def _placed(status: str, key: str, text: str, start: int, end: int, score: float) -> Placement:
    selector = _selector_at(text, start, end)
    return Placement(
        status, key, start, end, selector.exact, selector.prefix, selector.suffix, score
    )


def _in_same_passage(anchor: Selector, old_text: str, same: Candidate) -> Placement | None:
    """Rules 1 and 2: the same words where the diff carried them, else elsewhere in the passage.

    Every occurrence of the quote in the new text competes: best context agreement first,
    then the distance to the old place carried through the diff — so the carried place
    (distance 0) wins unless another occurrence fits the stored context better, which is what
    happens when sentences were reordered and the diff aligned the wrong copies.

    Occurrences that belong to another copy of the words in the old text (`_claimed`) are
    that copy, not ours; if all are, one counts as ours only if our copy staying there
    explains the new text as cheaply as any other copy staying there, and it kept all our
    context on one side. Short quotes need a confirming context unless they are still at the
    carried place.
    """
    assert anchor.start is not None and anchor.end is not None
    text = same.text
    start, end = carry_offsets(old_text, text, anchor.start, anchor.end)
    claimed = _claimed(anchor, old_text, text, exclude=anchor.start)
    occurrences = _occurrences(anchor.exact, text)
    found = [s for s in occurrences if s not in claimed]
    if not found:
        # Every copy left was already in the text elsewhere: ours was deleted, unless the
        # edit removed other copies and which ones cannot be told ("the of of of" less
        # "of of " reads the same whichever two went). A copy is ours then only if keeping
        # ours there takes no bigger an edit than keeping any other copy there, and all the
        # context stored on one side still surrounds it, as an edit elsewhere leaves it: a
        # few matching characters are what any other copy of the words has too.
        copies = _occurrences(anchor.exact, old_text)
        found = [
            s
            for s in occurrences
            if _kept_one_side(anchor, text, s)
            and _edit_keeping(old_text, anchor.start, text, s, len(anchor.exact))
            <= min(_edit_keeping(old_text, c, text, s, len(anchor.exact)) for c in copies)
        ]
    if len(anchor.exact) < SHORT_QUOTE:
        found = [s for s in found if s == start or _confirmed(anchor, text, s)]
    if not found:
        return None
    best = min(found, key=lambda s: (-_agreement(anchor, text, s), abs(s - start), s))
    return _placed(ANCHORED, same.key, text, best, best + len(anchor.exact), 1.0)


def _in_neighbours(anchor: Selector, neighbours: list[Candidate]) -> Placement | None:
    """Rule 3: the exact quote in a neighbouring passage, where it moved (or split off) to.

    Occurrences pooled over all neighbours compete by context; a tie means orphaned (no
    "nearest" outside the passage). Words a neighbour already had before the change did not
    move there. Short quotes need a confirming context.
    """
    pool: list[tuple[int, Candidate, int]] = []
    for candidate in neighbours:
        claimed = (
            _claimed(anchor, candidate.old_text, candidate.text)
            if candidate.old_text is not None
            else set()
        )
        for start in _occurrences(anchor.exact, candidate.text):
            if start in claimed:
                continue
            if len(anchor.exact) < SHORT_QUOTE and not _confirmed(anchor, candidate.text, start):
                continue
            pool.append((_agreement(anchor, candidate.text, start), candidate, start))
    if not pool:
        return None
    best = max(score for score, _, _ in pool)
    top = [(candidate, start) for score, candidate, start in pool if score == best]
    if len(top) > 1:
        return None
    candidate, start = top[0]
    return _placed(ANCHORED, candidate.key, candidate.text, start, start + len(anchor.exact), 1.0)


def _fuzzy(anchor: Selector, old_text: str, candidates: list[Candidate]) -> Placement | None:
    """Rule 4: the best verified fuzzy match over all candidates ("drifted", score 0..1).

    Ties go to the earlier (preferred) candidate.
    """
    best: tuple[float, Candidate, int, int] | None = None
    for candidate in candidates:
        match = _fuzzy_in(anchor, candidate.text)
        if match is None:
            continue
        score, start, end = match
        span = candidate.text[start:end]
        if any(
            s < end and start < s + len(anchor.exact)
            for s in _occurrences(anchor.exact, candidate.text)
        ):
            continue  # an exact copy the rules above turned down: another copy's words.
        if candidate.relation == SAME:
            assert anchor.start is not None and anchor.end is not None
            before = [old_text[: anchor.start], old_text[anchor.end :]]
        else:
            before = [candidate.old_text] if candidate.old_text is not None else []
        if any(_resembles(span, piece, score) for piece in before):
            continue  # those words were already there: a different sentence, not ours.
        score = _meaning_score(anchor.exact, span, score)
        if best is None or score > best[0]:
            best = (score, candidate, start, end)
    if best is None:
        return None
    score, candidate, start, end = best
    return _placed(DRIFTED, candidate.key, candidate.text, start, end, round(score / 100, 4))


def _fuzzy_short(anchor: Selector, old_text: str, same: Candidate) -> Placement | None:
    """Rule 4 for a short quote: the words between its stored prefix and suffix, when both
    still stand, (nearly) unchanged, where the diff carried the quote ("drifted", score 0..1).

    A short quote alone matches too much by chance, but a fixed typo between two unchanged
    stretches of context ("teh biggest" to "the biggest") is the same place in the text.
    """
    assert anchor.start is not None and anchor.end is not None
    text = same.text
    carried_start, carried_end = carry_offsets(old_text, text, anchor.start, anchor.end)
    radius = len(anchor.exact) + 4
    starts = range(max(0, carried_start - radius), min(len(text), carried_start + radius) + 1)
    start = max(
        starts,
        key=lambda p: (_side_similarity(anchor.prefix, text, p, -1), -abs(p - carried_start)),
    )
    ends = range(max(start + 1, carried_end - radius), min(len(text), carried_end + radius) + 1)
    if not ends:
        return None
    end = max(
        ends, key=lambda q: (_side_similarity(anchor.suffix, text, q, 1), -abs(q - carried_end))
    )
    if (
        _side_similarity(anchor.prefix, text, start, -1) < SHORT_CONTEXT_SIMILARITY
        or _side_similarity(anchor.suffix, text, end, 1) < SHORT_CONTEXT_SIMILARITY
    ):
        return None
    span = text[start:end]
    if not span.strip() or span != span.strip():
        return None
    if any(s < end and start < s + len(anchor.exact) for s in _occurrences(anchor.exact, text)):
        return None  # an exact copy rule 2 turned down: another copy's words.
    score = fuzz.ratio(anchor.exact, span)
    if score < FUZZY_THRESHOLD:
        return None
    score = _meaning_score(anchor.exact, span, score)
    return _placed(DRIFTED, same.key, text, start, end, round(score / 100, 4))


def _side_similarity(stored: str, text: str, at: int, direction: int) -> float:
    """How much the text before (`direction` -1) or after (+1) offset `at` is like the stored
    prefix or suffix (0..1). A side shorter than CONTEXT reached the passage edge, so it is
    compared with everything up to the edge (up to CONTEXT characters)."""
    window = text[max(0, at - CONTEXT) : at] if direction < 0 else text[at : at + CONTEXT]
    return Indel.normalized_similarity(stored, window)


def _negations(text: str) -> int:
    """How many negating words `text` has ("not", "never", "no", "didn't"...)."""
    words = re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text.casefold())
    return sum(word in NEGATIONS or word.endswith(("n't", "n’t")) for word in words)


def _meaning_score(exact: str, span: str, score: float) -> float:
    """A fuzzy match's score (0..100), capped at NEGATED_SCORE when the match adds or drops
    a negation: "the ending is hopeful" and "the ending is not hopeful" are 91% alike as
    characters and opposite in meaning."""
    if _negations(exact) != _negations(span):
        return min(score, NEGATED_SCORE)
    return score


def _fuzzy_in(anchor: Selector, text: str) -> tuple[float, int, int] | None:
    """The best fuzzy match of the quote in `text` that passes the threshold and the context
    check, as (score 0..100, start, end), or None."""
    exact = anchor.exact
    if not text.strip():
        return None
    alignment = fuzz.partial_ratio_alignment(exact, text, score_cutoff=FUZZY_THRESHOLD - 10)
    if alignment is None:
        return None
    start, end = _refine(anchor, text, alignment.dest_start, alignment.dest_end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    score = fuzz.ratio(exact, text[start:end])
    if score < FUZZY_THRESHOLD or _context_similarity(anchor, text, start, end) < (
        CONTEXT_SIMILARITY
    ):
        return None
    return score, start, end


def _refine(anchor: Selector, text: str, start: int, end: int) -> tuple[int, int]:
    """Move the ends of a fuzzy window to where the span best matches the quote.

    partial_ratio compares windows as long as the quote, so a match whose length changed
    (a word added or fixed) is off by a few characters at its ends. Each end is moved within
    a small radius (coordinate search, two rounds), preferring word boundaries where the
    original quote started or ended on one.
    """
    exact = anchor.exact
    radius = min(12, max(3, len(exact) // 8))
    wants_start_boundary = not anchor.prefix or not anchor.prefix[-1].isalnum()
    wants_end_boundary = not anchor.suffix or not anchor.suffix[0].isalnum()

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


def _resembles(span: str, piece: str, score: float) -> bool:
    """Whether `piece` (old text outside the quote) has something at least as much like
    `span` as the quote is (score 0..100): then `span` is that other text, kept, not ours."""
    if len(piece) < len(span) * FUZZY_THRESHOLD / 100:
        return False
    return fuzz.partial_ratio(span, piece, score_cutoff=score) >= score


# Helpers ------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _opcodes(old: str, new: str) -> tuple[tuple[str, int, int, int, int], ...]:
    """The character diff (insertions and deletions only) from old to new, cached: a passage
    with many threads is diffed once."""
    return tuple(
        (op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
        for op in Indel.opcodes(old, new)
        if op.tag != "insert"
    )


def carry_offsets(old: str, new: str, start: int, end: int) -> tuple[int, int]:
    """Where the characters old[start:end] went in `new`, following a character diff.

    Text inserted before the range shifts it; text deleted inside it shrinks it. The result
    is only a position: callers check that the words there are still the quote.
    """
    if old == new:
        return start, end
    ops = _opcodes(old, new)
    src_starts = [op[1] for op in ops]

    def op_for(position: int) -> tuple[str, int, int, int, int]:
        return ops[bisect.bisect_right(src_starts, position) - 1]

    if start >= len(old):
        new_start = len(new)
    else:
        tag, i1, _, j1, _ = op_for(start)
        new_start = j1 + (start - i1) if tag == "equal" else j1
    if end <= 0:
        new_end = 0
    else:
        tag, i1, _, j1, j2 = op_for(end - 1)
        new_end = j1 + (end - i1) if tag == "equal" else j2
    return new_start, max(new_start, new_end)


def _occurrences(exact: str, text: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of `exact` in `text`."""
    found = []
    position = text.find(exact)
    while position != -1 and exact:
        found.append(position)
        position = text.find(exact, position + 1)
    return found


def _claimed(anchor: Selector, old: str, new: str, exclude: int | None = None) -> set[int]:
    """Occurrences of the quote in `new` that belong to another copy of the words in `old`.

    Each old occurrence (but ours, at `exclude`) claims the place the diff carried it to,
    where it still reads the same and fits its own old context at least as well as it fits
    ours; and it claims any occurrence that fits its own context better than ours. (A diff
    alone can pair the wrong copies when the text repeats itself — it may carry our copy
    onto the other's words and call the other deleted; the context keeps it honest.)
    """
    claimed = set()
    occurrences = _occurrences(anchor.exact, new)
    for start in _occurrences(anchor.exact, old):
        if start == exclude:
            continue
        other = _selector_at(old, start, start + len(anchor.exact))
        new_start, new_end = carry_offsets(old, new, start, start + len(anchor.exact))
        if new[new_start:new_end] == anchor.exact and _agreement(
            other, new, new_start
        ) >= _agreement(anchor, new, new_start):
            claimed.add(new_start)
        claimed.update(s for s in occurrences if _fits_better(other, anchor, new, s))
    return claimed


def _fits_better(other: Selector, anchor: Selector, text: str, start: int) -> bool:
    """Whether the occurrence at `start` is more like the copy `other` than like `anchor`:
    more of its context agrees, or all its context on one side still surrounds it (what a
    copy that an edit left alone keeps) and not `anchor`'s."""
    if _agreement(other, text, start) > _agreement(anchor, text, start):
        return True
    return _kept_one_side(other, text, start) and not _kept_one_side(anchor, text, start)


def _prefix_agreement(anchor: Selector, text: str, start: int) -> int:
    """Characters of the stored prefix that match right before `start`, counted outward; plus
    one when the stored prefix reached the passage start and so does this one."""
    prefix = anchor.prefix
    window = text[max(0, start - len(prefix)) : start]
    count = 0
    while count < len(window) and prefix[-1 - count] == window[-1 - count]:
        count += 1
    edge = len(prefix) < CONTEXT and count == len(prefix) and start == len(prefix)
    return count + (1 if edge else 0)


def _suffix_agreement(anchor: Selector, text: str, end: int) -> int:
    """Like `_prefix_agreement`, after `end`, with the passage end."""
    suffix = anchor.suffix
    window = text[end : end + len(suffix)]
    count = 0
    while count < len(window) and suffix[count] == window[count]:
        count += 1
    edge = len(suffix) < CONTEXT and count == len(suffix) and end + len(suffix) == len(text)
    return count + (1 if edge else 0)


def _agreement(anchor: Selector, text: str, start: int) -> int:
    end = start + len(anchor.exact)
    return _prefix_agreement(anchor, text, start) + _suffix_agreement(anchor, text, end)


def _confirmed(anchor: Selector, text: str, start: int) -> bool:
    """Whether the context right next to an occurrence agrees with the stored context on at
    least one side (CONFIRM_CHARS characters, or all of a shorter context up to the edge)."""
    end = start + len(anchor.exact)
    for stored, agreed in (
        (anchor.prefix, _prefix_agreement(anchor, text, start)),
        (anchor.suffix, _suffix_agreement(anchor, text, end)),
    ):
        needed = min(CONFIRM_CHARS, len(stored) + (1 if len(stored) < CONTEXT else 0))
        if needed and agreed >= needed:
            return True
    return False


def _edit_keeping(old: str, old_start: int, new: str, new_start: int, length: int) -> int:
    """The smallest edit (characters inserted and deleted) that turns `old` into `new` while
    the `length` characters at `old_start` stay, as they are, at `new_start`."""
    return Indel.distance(old[:old_start], new[:new_start]) + Indel.distance(
        old[old_start + length :], new[new_start + length :]
    )


def _kept_one_side(anchor: Selector, text: str, start: int) -> bool:
    """Whether all the stored context on one side (the passage edge included, when it was
    that close) still surrounds the occurrence at `start`."""
    end = start + len(anchor.exact)
    return any(
        agreed == len(stored) + (1 if len(stored) < CONTEXT else 0)
        for stored, agreed in (
            (anchor.prefix, _prefix_agreement(anchor, text, start)),
            (anchor.suffix, _suffix_agreement(anchor, text, end)),
        )
    )


def _context_similarity(anchor: Selector, text: str, start: int, end: int) -> float:
    """How well the context around text[start:end] matches the stored context (0..1): the
    better of the two sides. An empty stored side matches only the passage edge."""
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    scores = []
    for stored, new, at_edge in (
        (anchor.prefix, before, start == 0),
        (anchor.suffix, after, end == len(text)),
    ):
        if not stored:
            scores.append(1.0 if at_edge else 0.0)
        else:
            scores.append(Indel.normalized_similarity(stored, new))
    return max(scores)
