"""Which old text each new passage took over: an alignment of a reading's old and new text.

A re-import (or an edit) replaces the text of a reading. `align` pairs the characters of the
old passages with the characters of the new ones that continue them, whatever passage or
chapter they are now in: a paragraph split in two, two merged into one, a sentence moved to the
next paragraph, a paragraph moved to another chapter. The result, a `TextAlignment`, is a set
of `Block`s ("these `length` characters of old passage A, from `old_start`, are now in new
passage B, from `new_start`") and answers where old words went (`carry`, `destinations`) and
where new words came from (`origin`, `sources`).

The rules, in order:

1. Passages whose text is the same (typographic variants aside: `typography.align_key`) are
   paired in order (difflib's SequenceMatcher over the passages), then passages left over whose
   text occurs once among the old ones left and once among the new ones left (a paragraph
   moved, `MOVE_MIN` characters or more).
2. Each stretch of passages between those pairs is aligned as one text, character by
   character: the old passages joined, the new ones joined, and the equal stretches split at
   passage boundaries. So a sentence moved to the next paragraph stays paired with itself: the
   boundary moved, not the words. Long stretches are first cut at words that occur once on
   each side, in the same order ("patience" anchors), then aligned in pieces.
3. Equal stretches shorter than the edits on both sides of them are noise of the character
   diff (a " the " shared by two unrelated sentences) and are dropped (the "semantic cleanup"
   of diff-match-patch): an alignment claims only text that was kept, not letters in common.
4. What is left — old text that went nowhere, new text that came from nowhere — is searched for
   stretches of at least `MOVE_MIN` equal characters, anywhere in the reading: text moved
   against the order (a sentence moved to the start of its paragraph, a paragraph to another
   chapter). Such blocks are marked `moved`; a stretch that could have come from two places is
   left unpaired.

Passages are named by any hashable id (a row's primary key, or an index); old and new ids are
separate namespaces.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from rapidfuzz.distance import Indel

from .typography import align_key

# The shortest stretch of text recognised as moved (rule 1 for whole passages, rule 4).
MOVE_MIN = 24
# Characters looked up at once when searching moved text (rule 4).
MOVE_KEY = 16
# Stretches whose lengths multiply to at most this are aligned character by character at once;
# longer ones are cut at patience anchors first. (About 40 ms and a few MB at the limit.)
LEAF_CELLS = 16_000_000
# Stretches without anchors are still aligned at once up to this size, else left unpaired.
HARD_CELLS = 200_000_000
# Equal stretches shorter than this at either end of a text are noise next to a longer edit.
EDGE_MIN = 2
SEPARATOR = "\x00"
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Block:
    """`length` characters of old passage `old` from `old_start` are new passage `new`'s from
    `new_start` (equal, typographic variants aside). `moved` when found by rule 4."""

    old: Hashable
    old_start: int
    new: Hashable
    new_start: int
    length: int
    moved: bool = False

    @property
    def old_end(self) -> int:
        return self.old_start + self.length

    @property
    def new_end(self) -> int:
        return self.new_start + self.length


@dataclass(frozen=True)
class Carried:
    """Where an old span went: new passage `new`, span [start, end) there; `kept` of its
    characters are in that span (0 when none survived: then the span is where they were, between
    the text kept around them); `moved` when some came through a moved block."""

    new: Hashable
    start: int
    end: int
    kept: int
    moved: bool


class TextAlignment:
    """The blocks of an alignment, indexed both ways (see the module docstring)."""

    def __init__(self, blocks: Iterable[Block] = ()) -> None:
        self.blocks = list(blocks)
        self._by_old: dict[Hashable, list[Block]] = defaultdict(list)
        self._by_new: dict[Hashable, list[Block]] = defaultdict(list)
        for block in self.blocks:
            self._by_old[block.old].append(block)
            self._by_new[block.new].append(block)
        for blocks_ in self._by_old.values():
            blocks_.sort(key=lambda b: b.old_start)
        for blocks_ in self._by_new.values():
            blocks_.sort(key=lambda b: b.new_start)
        self._old_starts = {k: [b.old_start for b in v] for k, v in self._by_old.items()}
        self._new_starts = {k: [b.new_start for b in v] for k, v in self._by_new.items()}

    def __repr__(self) -> str:
        return f"<TextAlignment of {len(self.blocks)} blocks>"

    def relabel(
        self,
        old: Mapping[Hashable, Hashable] | None = None,
        new: Mapping[Hashable, Hashable] | None = None,
    ) -> TextAlignment:
        """The same alignment with passages renamed (ids missing from a mapping are kept)."""
        old, new = old or {}, new or {}
        return TextAlignment(
            replace(b, old=old.get(b.old, b.old), new=new.get(b.new, b.new)) for b in self.blocks
        )

    def destinations(self, old: Hashable) -> dict[Hashable, int]:
        """How many characters of old passage `old` each new passage holds."""
        found: dict[Hashable, int] = defaultdict(int)
        for block in self._by_old.get(old, ()):
            found[block.new] += block.length
        return dict(found)

    def sources(self, new: Hashable) -> dict[Hashable, int]:
        """How many characters of new passage `new` came from each old passage."""
        found: dict[Hashable, int] = defaultdict(int)
        for block in self._by_new.get(new, ()):
            found[block.old] += block.length
        return dict(found)

    def kept(self, old: Hashable) -> int:
        """How many characters of old passage `old` are somewhere in the new text."""
        return sum(block.length for block in self._by_old.get(old, ()))

    def carry(self, old: Hashable, start: int, end: int) -> Carried | None:
        """Where old passage `old`'s span [start, end) went: the new passage holding most of its
        characters and their span there; when none survived, the place between the text kept
        on either side (if both sides are in one new passage, else the side that survived).
        None when nothing around the span survived either."""
        blocks = self._by_old.get(old, [])
        spans: dict[Hashable, list[int]] = {}
        for block in self._overlapping(blocks, self._old_starts.get(old, []), start, end):
            s, e = max(start, block.old_start), min(end, block.old_end)
            new_start = block.new_start + (s - block.old_start)
            span = spans.setdefault(block.new, [new_start, new_start + (e - s), 0, 0])
            span[0] = min(span[0], new_start)
            span[1] = max(span[1], new_start + (e - s))
            span[2] += e - s
            span[3] |= block.moved
        if spans:
            new, (s, e, kept, moved) = max(spans.items(), key=lambda item: item[1][2])
            return Carried(new, s, e, kept, bool(moved))
        before = [b for b in blocks if b.old_end <= start]
        after = [b for b in blocks if b.old_start >= end]
        left = before[-1] if before else None
        right = after[0] if after else None
        if left and right and left.new == right.new and left.new_end <= right.new_start:
            return Carried(left.new, left.new_end, right.new_start, 0, left.moved or right.moved)
        if left:
            return Carried(left.new, left.new_end, left.new_end, 0, left.moved)
        if right:
            return Carried(right.new, right.new_start, right.new_start, 0, right.moved)
        return None

    def origin(self, new: Hashable, start: int, end: int) -> list[tuple[Hashable, int, int, bool]]:
        """Where new passage `new`'s span [start, end) came from: (old passage, start, end,
        moved) for each piece that was in the old text; characters not listed are new."""
        pieces = []
        blocks = self._by_new.get(new, [])
        starts = self._new_starts.get(new, [])
        first = max(0, bisect.bisect_right(starts, start) - 1)
        for block in blocks[first:]:
            if block.new_start >= end:
                break
            s, e = max(start, block.new_start), min(end, block.new_end)
            if s < e:
                offset = block.old_start - block.new_start
                pieces.append((block.old, s + offset, e + offset, block.moved))
        return pieces

    @staticmethod
    def _overlapping(blocks: list[Block], starts: list[int], start: int, end: int) -> list[Block]:
        first = max(0, bisect.bisect_right(starts, start) - 1)
        found = []
        for block in blocks[first:]:
            if block.old_start >= end:
                break
            if block.old_end > start:
                found.append(block)
        return found


def align(
    old: Sequence[tuple[Hashable, str]], new: Sequence[tuple[Hashable, str]]
) -> TextAlignment:
    """Align the old passages (id, text) with the new ones, each in reading order."""
    old_ids = [id_ for id_, _ in old]
    new_ids = [id_ for id_, _ in new]
    old_keys = [align_key(text) for _, text in old]
    new_keys = [align_key(text) for _, text in new]
    blocks: list[Block] = []

    # 1. Equal passages, in order.
    regions = []
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                if old_keys[i]:
                    blocks.append(Block(old_ids[i], 0, new_ids[j], 0, len(old_keys[i])))
        else:
            regions.append((range(i1, i2), range(j1, j2)))
    # ... and passages moved whole.
    left_old = {i for olds, _ in regions for i in olds}
    left_new = {j for _, news in regions for j in news}
    by_key_old: dict[str, list[int]] = defaultdict(list)
    by_key_new: dict[str, list[int]] = defaultdict(list)
    for i in left_old:
        if len(old_keys[i]) >= MOVE_MIN:
            by_key_old[old_keys[i]].append(i)
    for j in left_new:
        by_key_new[new_keys[j]].append(j)
    for key, olds in by_key_old.items():
        news = by_key_new.get(key, [])
        if len(olds) == 1 and len(news) == 1:
            i, j = olds[0], news[0]
            blocks.append(Block(old_ids[i], 0, new_ids[j], 0, len(key), moved=True))
            left_old.discard(i)
            left_new.discard(j)

    # 2. Stretches between them, as one text.
    for olds, news in regions:
        olds_ = [i for i in olds if i in left_old]
        news_ = [j for j in news if j in left_new]
        if olds_ and news_:
            blocks += _align_stretch(
                [(old_ids[i], old_keys[i]) for i in olds_],
                [(new_ids[j], new_keys[j]) for j in news_],
            )

    # 4. Text moved against the order.
    blocks += _moved_text(
        dict(zip(old_ids, old_keys, strict=True)),
        dict(zip(new_ids, new_keys, strict=True)),
        blocks,
    )
    return TextAlignment(blocks)


def _align_stretch(old: list[tuple[Hashable, str]], new: list[tuple[Hashable, str]]) -> list[Block]:
    """Align a stretch of passages as one text and split the equal stretches by passage."""
    a = SEPARATOR.join(text for _, text in old)
    b = SEPARATOR.join(text for _, text in new)
    a_starts = _starts([text for _, text in old])
    b_starts = _starts([text for _, text in new])
    blocks = []
    for a_pos, b_pos, length in align_strings(a, b):
        while length > 0:
            i = bisect.bisect_right(a_starts, a_pos) - 1
            j = bisect.bisect_right(b_starts, b_pos) - 1
            a_end = a_starts[i] + len(old[i][1])
            b_end = b_starts[j] + len(new[j][1])
            if a_pos >= a_end or b_pos >= b_end:  # a separator (equal on both sides)
                a_pos, b_pos, length = a_pos + 1, b_pos + 1, length - 1
                continue
            piece = min(length, a_end - a_pos, b_end - b_pos)
            blocks.append(
                Block(old[i][0], a_pos - a_starts[i], new[j][0], b_pos - b_starts[j], piece)
            )
            a_pos, b_pos, length = a_pos + piece, b_pos + piece, length - piece
    return blocks


def _starts(texts: list[str]) -> list[int]:
    starts, position = [], 0
    for text in texts:
        starts.append(position)
        position += len(text) + len(SEPARATOR)
    return starts


def align_strings(a: str, b: str) -> list[tuple[int, int, int]]:
    """The equal stretches (a_start, b_start, length) of an alignment of `a` and `b`, in order
    (rules 2 and 3 of the module docstring)."""
    found: list[tuple[int, int, int]] = []
    _align_into(a, b, 0, 0, found)
    merged: list[tuple[int, int, int]] = []
    for a_start, b_start, length in found:
        if (
            merged
            and merged[-1][0] + merged[-1][2] == a_start
            and (merged[-1][1] + merged[-1][2] == b_start)
        ):
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + length)
        elif length > 0:
            merged.append((a_start, b_start, length))
    return _cleanup(merged, len(a), len(b))


def _align_into(a: str, b: str, a_off: int, b_off: int, out: list) -> None:
    prefix = _common_prefix(a, b)
    suffix = _common_prefix(a[prefix:][::-1], b[prefix:][::-1])
    if prefix:
        out.append((a_off, b_off, prefix))
    core_a, core_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    if core_a and core_b:
        if len(core_a) * len(core_b) <= LEAF_CELLS:
            out.extend(_leaf(core_a, core_b, a_off + prefix, b_off + prefix))
        else:
            _by_anchors(core_a, core_b, a_off + prefix, b_off + prefix, out)
    if suffix:
        out.append((a_off + len(a) - suffix, b_off + len(b) - suffix, suffix))


def _common_prefix(a: str, b: str) -> int:
    limit = min(len(a), len(b))
    low, high = 0, limit
    while low < high:  # the longest equal prefix, by halving (string comparison runs in C)
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _leaf(a: str, b: str, a_off: int, b_off: int) -> list[tuple[int, int, int]]:
    blocks = [
        (op.src_start, op.dest_start, op.src_end - op.src_start)
        for op in Indel.opcodes(a, b)
        if op.tag == "equal"
    ]
    return [(s + a_off, t + b_off, n) for s, t, n in _cleanup(blocks, len(a), len(b))]


def _cleanup(
    blocks: list[tuple[int, int, int]], len_a: int, len_b: int
) -> list[tuple[int, int, int]]:
    """Drop equal stretches no longer than the edits on both sides of them (rule 3); at either
    end of the text, where there is one side, stretches of under EDGE_MIN characters no longer
    than the edit beside them (a final full stop shared by two different sentences)."""
    changed = True
    while changed:
        changed = False
        kept: list[tuple[int, int, int]] = []
        for k, (s, t, n) in enumerate(blocks):
            before_a, before_b = (0, 0)
            if kept:
                before_a, before_b = kept[-1][0] + kept[-1][2], kept[-1][1] + kept[-1][2]
            after_a, after_b = (len_a, len_b)
            if k + 1 < len(blocks):
                after_a, after_b = blocks[k + 1][0], blocks[k + 1][1]
            left = max(s - before_a, t - before_b)
            right = max(after_a - (s + n), after_b - (t + n))
            at_edge = (s, t) == (0, 0) or (s + n, t + n) == (len_a, len_b)
            if (n <= left and n <= right) or (at_edge and n < EDGE_MIN and n <= left + right):
                changed = True
                continue
            kept.append((s, t, n))
        blocks = kept
    return blocks


def _by_anchors(a: str, b: str, a_off: int, b_off: int, out: list) -> None:
    """Cut a long stretch at words found once on each side, in the same order, and align the
    pieces between them."""
    anchors = _patience_anchors(a, b)
    if not anchors:
        if len(a) * len(b) <= HARD_CELLS:
            out.extend(_leaf(a, b, a_off, b_off))
        return
    a_pos = b_pos = 0
    for a_start, b_start, length in anchors:
        _align_into(a[a_pos:a_start], b[b_pos:b_start], a_off + a_pos, b_off + b_pos, out)
        out.append((a_off + a_start, b_off + b_start, length))
        a_pos, b_pos = a_start + length, b_start + length
    _align_into(a[a_pos:], b[b_pos:], a_off + a_pos, b_off + b_pos, out)


def _patience_anchors(a: str, b: str) -> list[tuple[int, int, int]]:
    a_words = _unique_words(a)
    b_words = _unique_words(b)
    pairs = sorted((a_words[w], b_words[w], len(w)) for w in a_words.keys() & b_words.keys())
    # The longest run of pairs in the same order on both sides.
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(pairs)
    for k, (_, b_start, _) in enumerate(pairs):
        position = bisect.bisect_left(tails, b_start)
        if position == len(tails):
            tails.append(b_start)
            tail_index.append(k)
        else:
            tails[position] = b_start
            tail_index[position] = k
        previous[k] = tail_index[position - 1] if position else -1
    chain = []
    k = tail_index[-1] if tail_index else -1
    while k != -1:
        chain.append(pairs[k])
        k = previous[k]
    return chain[::-1]


def _unique_words(text: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    repeated: set[str] = set()
    for match in _WORD.finditer(text):
        word = match.group()
        if word in seen:
            repeated.add(word)
        else:
            seen[word] = match.start()
    return {word: start for word, start in seen.items() if word not in repeated}


def _moved_text(
    old: Mapping[Hashable, str], new: Mapping[Hashable, str], blocks: list[Block]
) -> list[Block]:
    """Rule 4: stretches of at least MOVE_MIN characters of old text left unpaired that are
    found, once, in new text left unpaired."""
    old_gaps = _gaps(old, blocks, lambda b: (b.old, b.old_start, b.old_end))
    new_gaps = _gaps(new, blocks, lambda b: (b.new, b.new_start, b.new_end))
    if not old_gaps or not new_gaps:
        return []
    # Free stretches of the new text, per passage, and an index of their keys at word starts.
    free: dict[Hashable, list[list[int]]] = defaultdict(list)
    index: dict[str, list[tuple[Hashable, int]]] = defaultdict(list)
    for passage, start, end in new_gaps:
        free[passage].append([start, end])
        text = new[passage]
        for p in range(start, end - MOVE_KEY + 1):
            if p == start or text[p - 1] == " ":
                index[text[p : p + MOVE_KEY]].append((passage, p))
    found = []
    for passage, start, end in old_gaps:
        text = old[passage]
        q = floor = start
        while q + MOVE_KEY <= end:
            if q != start and text[q - 1] != " ":
                q += 1
                continue
            best: tuple[int, Hashable, int, int] | None = None
            ambiguous = False
            for new_passage, p in index.get(text[q : q + MOVE_KEY], ()):
                gap = next((g for g in free[new_passage] if g[0] <= p < g[1]), None)
                if gap is None:
                    continue
                target = new[new_passage]
                left = 0
                while (
                    q - left > floor
                    and p - left > gap[0]
                    and text[q - left - 1] == target[p - left - 1]
                ):
                    left += 1
                right = 0
                while (
                    q + right < end and p + right < gap[1] and text[q + right] == target[p + right]
                ):
                    right += 1
                length = left + right
                if best is None or length > best[0]:
                    best, ambiguous = (length, new_passage, p - left, q - left), False
                elif length == best[0] and (new_passage, p - left) != (best[1], best[2]):
                    ambiguous = True
            if best is None or ambiguous or best[0] < MOVE_MIN:
                q += 1
                continue
            length, new_passage, p, q_start = best
            found.append(Block(passage, q_start, new_passage, p, length, moved=True))
            gap = next(g for g in free[new_passage] if g[0] <= p < g[1])
            free[new_passage].remove(gap)
            free[new_passage] += [g for g in ([gap[0], p], [p + length, gap[1]]) if g[0] < g[1]]
            q = floor = q_start + length
    return found


def _gaps(
    texts: Mapping[Hashable, str], blocks: list[Block], side
) -> list[tuple[Hashable, int, int]]:
    """Stretches of at least MOVE_MIN characters of each passage that no block covers."""
    covered: dict[Hashable, list[tuple[int, int]]] = defaultdict(list)
    for block in blocks:
        passage, start, end = side(block)
        covered[passage].append((start, end))
    gaps = []
    for passage, text in texts.items():
        position = 0
        for start, end in sorted(covered.get(passage, ())) + [(len(text), len(text))]:
            if start - position >= MOVE_MIN:
                gaps.append((passage, position, start))
            position = max(position, end)
    return gaps
