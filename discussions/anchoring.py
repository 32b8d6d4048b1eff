"""Re-anchoring: finding a thread's words again after the text of its reading changed.

A thread is anchored to a quote in a passage (`discussions.selectors`). When a re-import or an
edit changes the text, the change comes with an alignment of the old and the new text
(`readings.alignment.TextAlignment`): which old characters each new passage took over,
wherever they went — another paragraph, another chapter. `place` finds the quote again from
that, in this order, and stops at the first rule that gives an answer:

1. **Carried.** The alignment carries the quote's characters to their new place; if they still
   read the quote there, that is where the thread goes, offsets shifted ("anchored").
2. **Nearby.** Otherwise the quote is searched in the passages that took over the old passage's
   text (a split paragraph's pieces, the paragraph a sentence moved into; never a window of
   positions): an occurrence counts if its context (the `prefix` and `suffix` stored with the
   anchor) agrees on one side (`CONFIRM_CHARS` characters, or all of a shorter context up to
   the passage edge). The best agreement wins; between equally good ones, the nearest in the
   same passage; equally good ones in two passages cannot be told apart: orphaned.
3. **In the chapter.** Before giving up, the whole chapter(s) that took over the old passage's
   text (or, if none of it survived, the chapter that took over its chapter's text) are
   searched the same way, and an occurrence is accepted only where its context agrees and no
   other occurrence agrees as well.
4. **Drifted.** A fuzzy match in the passages of rule 2, close to the quote and confirmed by
   its context, scored 0..1 ("drifted"); a short quote drifts only between its stored prefix
   and suffix, both (nearly) unchanged, where the alignment put its words.
5. **Orphaned** otherwise: the thread keeps its stored quote and context, visible and
   repairable.

Whole-passage threads follow the new passage that holds most of their passage's old text, when
at least `WHOLE_PASSAGE_SHARE` of it survived anywhere; otherwise they are orphaned, keeping the
passage's last text as their quote.

Typography never breaks a match: every comparison is made on folded text
(`readings.typography.fold`: curly or straight quotation marks, apostrophes, dashes, ellipses,
spaces), and the placement is the span of the new text as it reads.

The overriding rule is that an anchor never lands on the wrong words. Being orphaned is
visible and can be fixed by a moderator; a comment silently attached to another sentence is a
lie. So every rule refuses rather than guesses:

- an occurrence of the quote that continues another copy of the words in the old text is that
  copy, not ours: each old copy (in the old passage, or in any old passage whose text the
  searched passages took over) claims the place the alignment carried it to, where it reads the
  quote and fits its own context at least as well as ours, and any occurrence that fits its
  context better than ours. When every occurrence left is another copy's, ours was deleted —
  unless the text cannot say which copies went ("the of of of" less "of of " reads the same
  whichever two did): then an occurrence is ours if keeping our copy there takes no bigger an
  edit than keeping any other copy there, and all our stored context on one side still
  surrounds it, as an edit elsewhere leaves it;
- short quotes (under `SHORT_QUOTE` characters: "Paris", "the end") occur by chance, so away
  from their carried place they need a confirming context like any other; they are matched
  fuzzily only between their stored prefix and suffix (`SHORT_CONTEXT_SIMILARITY`);
- a fuzzy match must score at least `FUZZY_THRESHOLD` against the quote itself (character
  similarity: a fixed typo or a changed word, not a rewritten sentence), must agree with the
  stored context on at least one side, must not be text that was already there (more like some
  other old text than like the quote, or taken over from old text other than the quote), and
  must not overlap an exact copy of the quote that the rules above turned down;
- a fuzzy match that adds or drops a negation ("not", "never", "no", "n't"...) stays "drifted"
  with its score capped at `NEGATED_SCORE` (50%): the place the words were, not what they said.

A thread also keeps its quote as first written (`Comment.anchor_original_exact`, not touched
here), so readers of a drifted thread can see what the comment was about.

`reanchor(anchor, old_text, candidates)` is the same rules for one passage and its neighbours
given as plain texts (an alignment is made from them): a convenience for callers and tests
that have no re-import at hand.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz

from readings.alignment import Block, TextAlignment, align
from readings.typography import Folded, fold

from .quotes import (
    CONTEXT_SIMILARITY,
    FUZZY_THRESHOLD,
    NEGATED_SCORE,
    agreement,
    confirmed,
    context_similarity,
    edit_keeping,
    fits_better,
    fuzzy_in,
    kept_one_side,
    meaning_score,
    occurrences,
    resembles,
    side_similarity,
)
from .selectors import CONTEXT, ORPHANED, BadAnchor, Selector, make_selector, selector_at
from .selectors import to_web_annotation as to_web_annotation
from .text_change import TextChange

__all__ = [
    "ANCHORED",
    "CONTEXT",
    "DRIFTED",
    "FUZZY_THRESHOLD",
    "NEGATED_SCORE",
    "NEXT",
    "ORPHANED",
    "PREVIOUS",
    "SAME",
    "BadAnchor",
    "Candidate",
    "Placement",
    "Selector",
    "TextChange",
    "make_selector",
    "place",
    "reanchor",
    "to_web_annotation",
]

ANCHORED = "anchored"
DRIFTED = "drifted"

SAME = "same"
PREVIOUS = "previous"
NEXT = "next"

# Quotes shorter than this are matched fuzzily only between their prefix and suffix.
SHORT_QUOTE = 12
# A short quote is matched fuzzily only between its stored prefix and suffix, each at least
# this similar (0..1) to what now stands there: unchanged, or two or three characters off.
SHORT_CONTEXT_SIMILARITY = 0.9
# A whole-passage thread follows its text while at least this share of it survives.
WHOLE_PASSAGE_SHARE = 0.25


@dataclass(frozen=True)
class Placement:
    """Where an anchor ended up.

    For "anchored" and "drifted", `key` is the new passage and `text[start:end] == exact` in
    its new text (start/end None for a whole-passage anchor). For "orphaned", `key` is None and
    the stored quote, context and (now historical) offsets are kept.
    """

    status: str
    key: Hashable | None
    start: int | None
    end: int | None
    exact: str
    prefix: str
    suffix: str
    score: float


@dataclass(frozen=True)
class _Quote:
    """The anchor folded: quote and context as folded text, and where it was (raw offsets in
    the old text of passage `old`; None when the old text no longer holds it)."""

    exact: str
    prefix: str
    suffix: str
    old: Hashable
    start: int | None
    end: int | None
    folded_start: int | None


@dataclass(frozen=True)
class _Found:
    passage: Hashable
    start: int  # folded offset in the passage's folded text
    ours: bool  # the alignment carried our characters here


def place(anchor: Selector, old: Hashable, change: TextChange) -> Placement:
    """Find `anchor`, made on old passage `old`, in the new text (see the module docstring)."""
    if anchor.start is None or anchor.end is None:
        return _follow_passage(old, change)
    quote = _fold_anchor(anchor, old, change)
    if quote is None:
        return _orphan(anchor)
    nearby = _nearby(quote, change)
    found = _exact_nearby(quote, nearby, change)
    if found is _AMBIGUOUS:
        return _orphan(anchor)
    if found is None:
        found = _exact_in_chapters(quote, nearby, change)
    if isinstance(found, _Found):
        return _placed(ANCHORED, found.passage, change, found.start, len(quote.exact), 1.0)
    drifted = (
        _fuzzy(quote, nearby, change)
        if len(quote.exact) >= SHORT_QUOTE
        else _fuzzy_short(quote, change)
    )
    return drifted or _orphan(anchor)


_AMBIGUOUS = object()


def _fold_anchor(anchor: Selector, old: Hashable, change: TextChange) -> _Quote | None:
    """The anchor in folded text, located in the old text it was made on."""
    assert anchor.start is not None and anchor.end is not None
    exact = fold(anchor.exact).text
    if not exact.strip():
        return None
    old_text = change.old_text(old)
    if old_text is not None and fold(old_text[anchor.start : anchor.end]).text == exact:
        folded = change.folded_old(old)
        start = folded.position(anchor.start)
        end = start + len(exact)
        if folded.text[start:end] == exact:
            return _Quote(
                exact,
                folded.text[max(0, start - CONTEXT) : start],
                folded.text[end : end + CONTEXT],
                old,
                anchor.start,
                anchor.end,
                start,
            )
    # The stored offsets do not fit the old text: the quote and context as stored.
    return _Quote(exact, fold(anchor.prefix).text, fold(anchor.suffix).text, old, None, None, None)


def _nearby(quote: _Quote, change: TextChange) -> list[Hashable]:
    """The passages that took over the old passage's text: where the quote's characters went
    first, then the others, most text first."""
    passages = []
    if quote.start is not None:
        carried = change.alignment.carry(quote.old, quote.start, quote.end)
        if carried is not None and carried.new in change.new_texts:
            passages.append(carried.new)
    destinations = change.alignment.destinations(quote.old)
    for passage in sorted(destinations, key=lambda p: -destinations[p]):
        if passage not in passages and passage in change.new_texts:
            passages.append(passage)
    return passages


def _exact_nearby(quote: _Quote, nearby: list[Hashable], change: TextChange):
    """Rules 1 and 2: a _Found, None (not there) or _AMBIGUOUS.

    Our carried occurrence wins unless a confirmed occurrence fits the context strictly better
    (sentences reordered); a carried occurrence whose context no longer agrees is trusted only
    when it is the only occurrence left in the chapter: otherwise the text cannot say which
    one is ours.
    """
    if not nearby:
        return None
    occurrences_ = _occurrences_in(quote, nearby, change)
    claimed = _claimed(quote, nearby, occurrences_, change)
    found = [o for o in occurrences_ if (o.passage, o.start) not in claimed]
    main = nearby[0]
    if not found and quote.folded_start is not None:
        found = _undecidable_copies(quote, main, occurrences_, change)
    if not found:
        return None
    scores = {o: agreement(quote, change.folded(o.passage).text, o.start) for o in found}
    sure = [o for o in found if confirmed(quote, change.folded(o.passage).text, o.start)]
    ours = next((o for o in found if o.ours), None)
    if ours is None:
        return _best(quote, sure, change, main)
    better = [o for o in sure if scores[o] > scores[ours]]
    if better:
        return _best(quote, better, change, main)
    if ours in sure:
        return ours
    # Nothing around our words agrees any more: they are ours only if the quote is nowhere
    # else nearby or in the chapter, where an edit could have put another copy (a character
    # alignment pairs copies in order, and a copy inserted where ours was looks like ours).
    if len(found) > 1 or _unclaimed_in_chapters(quote, nearby, change):
        return _AMBIGUOUS
    return ours


def _exact_in_chapters(quote: _Quote, nearby: list[Hashable], change: TextChange):
    """Rule 3: the quote in the whole chapters concerned, where its context agrees."""
    found = [
        o
        for o in _unclaimed_in_chapters(quote, nearby, change)
        if o.ours or confirmed(quote, change.folded(o.passage).text, o.start)
    ]
    result = _best(quote, found, change, None)
    return result if isinstance(result, _Found) else None


def _unclaimed_in_chapters(
    quote: _Quote, nearby: list[Hashable], change: TextChange
) -> list[_Found]:
    """Occurrences of the quote in the chapters concerned, beyond the passages nearby, that no
    other copy of the words claims."""
    chapters = []
    for passage in nearby:
        chapter = change.chapter_of.get(passage)
        if chapter is not None and chapter not in chapters:
            chapters.append(chapter)
    for chapter in change.fallback_chapters.get(quote.old, ()):
        if chapter not in chapters:
            chapters.append(chapter)
    passages = [
        p
        for chapter in chapters
        for p in change.chapters.get(chapter, ())
        if p not in nearby and p in change.new_texts
    ]
    occurrences_ = _occurrences_in(quote, passages, change)
    if not occurrences_:
        return []
    claimed = _claimed(quote, passages, occurrences_, change)
    return [o for o in occurrences_ if (o.passage, o.start) not in claimed]


def _best(quote: _Quote, found: list[_Found], change: TextChange, main: Hashable | None):
    """The occurrence whose context agrees best; between equals, the nearest to where the
    quote's words were in `main`; equals in two passages are _AMBIGUOUS."""
    if not found:
        return None
    scores = {o: agreement(quote, change.folded(o.passage).text, o.start) for o in found}
    top = max(scores.values())
    best = [o for o in found if scores[o] == top]
    if len({o.passage for o in best}) > 1:
        return _AMBIGUOUS
    if len(best) > 1 and best[0].passage != main:
        return _AMBIGUOUS
    if len(best) > 1:
        place_ = _carried_folded(quote, change)
        target = place_[1] if place_ and place_[0] == main else 0
        best.sort(key=lambda o: (abs(o.start - target), o.start))
    return best[0]


def _occurrences_in(quote: _Quote, passages: list[Hashable], change: TextChange) -> list[_Found]:
    found = []
    for passage in passages:
        folded = change.folded(passage)
        for start in folded.find_all(quote.exact):
            found.append(_Found(passage, start, _is_ours(quote, passage, folded, start, change)))
    return found


def _is_ours(
    quote: _Quote, passage: Hashable, folded: Folded, start: int, change: TextChange
) -> bool:
    """Whether the alignment carried most of our quote's characters to this occurrence."""
    if quote.start is None:
        return False
    raw_start, raw_end = folded.span(start, start + len(quote.exact))
    ours = sum(
        max(0, min(e, quote.end) - max(s, quote.start))
        for old, s, e, _ in change.alignment.origin(passage, raw_start, raw_end)
        if old == quote.old
    )
    return 2 * ours > raw_end - raw_start


def _claimed(
    quote: _Quote, passages: list[Hashable], found: list[_Found], change: TextChange
) -> set[tuple[Hashable, int]]:
    """Occurrences that belong to another copy of the words in the old text (see the module
    docstring): the old passages whose text the searched passages took over are searched for
    copies; each claims its carried place and the occurrences that fit it better than ours."""
    if not found:
        return set()
    sources: list[Hashable] = [quote.old]
    for passage in passages:
        for source in change.alignment.sources(passage):
            if source not in sources:
                sources.append(source)
    claimed = set()
    texts = {o.passage: change.folded(o.passage).text for o in found}
    for source in sources:
        if change.old_text(source) is None:
            continue
        old_folded = change.folded_old(source)
        for start in old_folded.find_all(quote.exact):
            if source == quote.old and start == quote.folded_start:
                continue
            other = selector_at(old_folded.text, start, start + len(quote.exact))
            raw_start, raw_end = old_folded.span(start, start + len(quote.exact))
            carried = change.alignment.carry(source, raw_start, raw_end)
            if carried is not None and carried.kept and carried.new in texts:
                folded = change.folded(carried.new)
                at = folded.position(carried.start)
                if folded.text[at : at + len(quote.exact)] == quote.exact and agreement(
                    other, folded.text, at
                ) >= agreement(quote, folded.text, at):
                    claimed.add((carried.new, at))
            claimed.update(
                (o.passage, o.start)
                for o in found
                if fits_better(other, quote, texts[o.passage], o.start)
                or (source == quote.old and o.ours and _cheaper_as(start, quote, o, change))
            )
    return claimed


def _cheaper_as(copy: int, quote: _Quote, found: _Found, change: TextChange) -> bool:
    """Whether an occurrence the alignment took for ours, whose context cannot tell it from the
    copy at folded offset `copy` of our old passage, is more cheaply explained as that copy:
    keeping the copy there takes a smaller edit of the old text than keeping ours there. (A
    character alignment pairs repeated text arbitrarily; the edit that remains does not.)"""
    old = change.folded_old(quote.old).text
    new = change.folded(found.passage).text
    other = selector_at(old, copy, copy + len(quote.exact))
    if agreement(quote, new, found.start) > agreement(other, new, found.start):
        return False
    assert quote.folded_start is not None
    length = len(quote.exact)
    return edit_keeping(old, copy, new, found.start, length) < edit_keeping(
        old, quote.folded_start, new, found.start, length
    )


def _undecidable_copies(
    quote: _Quote, main: Hashable, found: list[_Found], change: TextChange
) -> list[_Found]:
    """When every occurrence in the main passage is another copy's: those that could as well be
    ours, because the text cannot say which copies an edit removed."""
    old = change.folded_old(quote.old).text
    new = change.folded(main).text
    copies = occurrences(quote.exact, old)
    length = len(quote.exact)
    assert quote.folded_start is not None
    return [
        _Found(o.passage, o.start, True)
        for o in found
        if o.passage == main
        and kept_one_side(quote, new, o.start)
        and edit_keeping(old, quote.folded_start, new, o.start, length)
        <= min(edit_keeping(old, c, new, o.start, length) for c in copies)
    ]


def _carried_folded(quote: _Quote, change: TextChange) -> tuple[Hashable, int, int] | None:
    """Where the alignment put the quote's characters: (passage, folded start, folded end)."""
    if quote.start is None:
        return None
    carried = change.alignment.carry(quote.old, quote.start, quote.end)
    if carried is None or carried.new not in change.new_texts:
        return None
    folded = change.folded(carried.new)
    return carried.new, folded.position(carried.start), folded.position(carried.end)


def _fuzzy(quote: _Quote, nearby: list[Hashable], change: TextChange) -> Placement | None:
    """Rule 4: the best verified fuzzy match in the passages that took over the old text.
    Ties go to the earlier passage (where the quote's characters went first)."""
    best: tuple[float, Hashable, int, int] | None = None
    old_folded = change.folded_old(quote.old).text if change.old_text(quote.old) else ""
    for passage in nearby:
        folded = change.folded(passage)
        match = fuzzy_in(quote, folded.text, context=False)
        if match is None:
            continue
        score, start, end = match
        if any(s < end and start < s + len(quote.exact) for s in folded.find_all(quote.exact)):
            continue  # an exact copy the rules above turned down: another copy's words.
        ours, elsewhere = _taken_over(quote, passage, folded, start, end, change)
        if elsewhere > ours:
            continue  # taken over from other old text: words that were already there.
        if 2 * ours < len(quote.exact) and context_similarity(quote, folded.text, start, end) < (
            CONTEXT_SIMILARITY
        ):
            continue  # neither the alignment nor the context says these are our words.
        span = folded.text[start:end]
        before = []
        if quote.folded_start is not None:
            quote_end = quote.folded_start + len(quote.exact)
            before = [old_folded[: quote.folded_start], old_folded[quote_end:]]
        for source in change.alignment.sources(passage):
            if source != quote.old and change.old_text(source) is not None:
                before.append(change.folded_old(source).text)
        if any(resembles(span, piece, score) for piece in before):
            continue  # those words were already there: a different sentence, not ours.
        score = meaning_score(quote.exact, span, score)
        if best is None or score > best[0]:
            best = (score, passage, start, end)
    if best is None:
        return None
    score, passage, start, end = best
    return _placed(DRIFTED, passage, change, start, end - start, round(score / 100, 4))


def _taken_over(
    quote: _Quote, passage: Hashable, folded: Folded, start: int, end: int, change: TextChange
) -> tuple[int, int]:
    """How many characters of a fuzzy match the alignment took from our quote, and how many
    from other old text."""
    raw_start, raw_end = folded.span(start, end)
    ours = elsewhere = 0
    for old, s, e, _ in change.alignment.origin(passage, raw_start, raw_end):
        inside = 0
        if old == quote.old and quote.start is not None:
            inside = max(0, min(e, quote.end) - max(s, quote.start))
        ours += inside
        elsewhere += (e - s) - inside
    return ours, elsewhere


def _fuzzy_short(quote: _Quote, change: TextChange) -> Placement | None:
    """Rule 4 for a short quote: the words between its stored prefix and suffix, when both
    still stand, (nearly) unchanged, where the alignment carried the quote ("drifted").

    A short quote alone matches too much by chance, but a fixed typo between two unchanged
    stretches of context ("teh biggest" to "the biggest") is the same place in the text.
    """
    carried = _carried_folded(quote, change)
    if carried is None:
        return None
    passage, carried_start, carried_end = carried
    text = change.folded(passage).text
    radius = len(quote.exact) + 4
    starts = range(max(0, carried_start - radius), min(len(text), carried_start + radius) + 1)
    start = max(
        starts,
        key=lambda p: (side_similarity(quote.prefix, text, p, -1), -abs(p - carried_start)),
    )
    ends = range(max(start + 1, carried_end - radius), min(len(text), carried_end + radius) + 1)
    if not ends:
        return None
    end = max(
        ends, key=lambda q: (side_similarity(quote.suffix, text, q, 1), -abs(q - carried_end))
    )
    if (
        side_similarity(quote.prefix, text, start, -1) < SHORT_CONTEXT_SIMILARITY
        or side_similarity(quote.suffix, text, end, 1) < SHORT_CONTEXT_SIMILARITY
    ):
        return None
    span = text[start:end]
    if not span.strip() or span != span.strip():
        return None
    if any(s < end and start < s + len(quote.exact) for s in occurrences(quote.exact, text)):
        return None  # an exact copy rule 2 turned down: another copy's words.
    score = fuzz.ratio(quote.exact, span)
    if score < FUZZY_THRESHOLD:
        return None
    score = meaning_score(quote.exact, span, score)
    return _placed(DRIFTED, passage, change, start, end - start, round(score / 100, 4))


def _follow_passage(old: Hashable, change: TextChange) -> Placement:
    """Whole-passage anchors follow the passage that holds most of their old text, while at
    least WHOLE_PASSAGE_SHARE of it survives; otherwise they are orphaned, keeping the
    passage's last text as their quote so the thread stays readable."""
    old_text = change.old_text(old) or ""
    destinations = {
        p: n for p, n in change.alignment.destinations(old).items() if p in change.new_texts
    }
    if old_text and sum(destinations.values()) >= WHOLE_PASSAGE_SHARE * len(old_text):
        target = max(destinations, key=lambda p: destinations[p])
        return Placement(ANCHORED, target, None, None, "", "", "", 1.0)
    return Placement(ORPHANED, None, None, None, old_text, "", "", 0.0)


def _orphan(anchor: Selector) -> Placement:
    return Placement(
        ORPHANED, None, anchor.start, anchor.end, anchor.exact, anchor.prefix, anchor.suffix, 0.0
    )


def _placed(
    status: str, passage: Hashable, change: TextChange, start: int, length: int, score: float
) -> Placement:
    """A placement on folded characters [start, start + length) of `passage`, as raw text."""
    folded = change.folded(passage)
    raw_start, raw_end = folded.span(start, start + length)
    selector = selector_at(change.new_texts[passage], raw_start, raw_end)
    return Placement(
        status, passage, raw_start, raw_end, selector.exact, selector.prefix, selector.suffix, score
    )


# One passage and its neighbours, as plain texts --------------------------------------------


class Candidate(NamedTuple):
    """A passage where an anchor may land after a change.

    `relation` is "same" (the anchor's own passage, new text), "previous" or "next" (given
    nearest first). `old_text` is the passage's text before the change when it is known (None
    for a passage that was added): words that were already there are not words that moved.
    """

    key: str
    text: str
    relation: str
    old_text: str | None = None


_GONE = ("removed passage",)


def reanchor(anchor: Selector, old_text: str, candidates: list) -> Placement:
    """Find `anchor` (made on `old_text`) again among `candidates`, by the rules of `place`.

    The candidates are a passage's new text ("same", absent when it was removed) and its
    neighbours' (with their old text when known): they are aligned with the old texts in
    reading order, and the anchor placed in that alignment. Plain tuples are accepted.
    """
    candidates = [Candidate(*c) for c in candidates]
    same = next((c for c in candidates if c.relation == SAME), None)
    before = [c for c in candidates if c.relation == PREVIOUS][::-1]
    after = [c for c in candidates if c.relation == NEXT]
    ordered = [*before, *([same] if same else []), *after]
    ours = same.key if same is not None else _GONE
    old_texts = {ours: old_text}
    for c in ordered:
        if c.relation != SAME and c.old_text is not None:
            old_texts[c.key] = c.old_text
    # Passages that kept their text continue themselves; the rest are aligned in order.
    blocks = [
        Block(c.key, 0, c.key, 0, len(c.text))
        for c in ordered
        if c.relation != SAME and c.old_text == c.text and c.text
    ]
    unchanged = {b.old for b in blocks}
    old_order = [
        (key, old_texts[key])
        for key in [
            *(c.key for c in before),
            ours,
            *(c.key for c in after),
        ]
        if key in old_texts and key not in unchanged
    ]
    new_order = [(c.key, c.text) for c in ordered if c.key not in unchanged]
    blocks += align(old_order, new_order).blocks
    new_texts = {c.key: c.text for c in ordered}
    change = TextChange(
        alignment=TextAlignment(blocks),
        old_texts=old_texts,
        new_texts=new_texts,
        chapters={"chapter": [c.key for c in ordered]},
        chapter_of=dict.fromkeys(new_texts, "chapter"),
    )
    return place(anchor, ours, change)
