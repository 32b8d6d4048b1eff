"""A before/after corpus for the re-anchoring: real books, seeded edits, and the truth.

`make_case(book, seed)` imports a book from `../shared/texts/` with the real importer, places
threads on it (phrases of one to a dozen words, whole sentences, short words, whole passages),
then makes a new edition by seeded edits of the kinds real editions make (`EDIT_KINDS`). Every
character of the new edition remembers which old character it is (or that it is new), so for
every thread the truth is known: where its words are now (`Truth.passage`, `start`, `end`),
or that they are gone.

- "kept": every character of the quote is in one new passage, in one stretch that reads the
  quote (typographic variants aside): the thread must be anchored exactly there;
- "edited": most of the quote survives in one stretch and it reads close to the quote (a fixed
  typo, a respelling): the thread must be anchored or drifted onto that stretch;
- "gone": less than half of its characters survive (a deleted or rewritten sentence): the
  thread must be orphaned;
- "damaged", in between: orphaned, or placed on what is left of its words.

A placement is on the wrong words when it is in another passage than the truth's, or covers
less than half of the true span (or more than twice it), or when the words are gone. The books
stay in `../shared/texts/`; this module and its seeds are the corpus.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from readings.typography import fold_text

TEXTS = Path(__file__).resolve().parents[3] / "shared" / "texts"
BOOKS = {
    "pride": "pg1342_pride_and_prejudice.txt",
    "kropotkin": "kropotkin_conquest_of_bread.md",
    "manifesto": "pg61_communist_manifesto.txt",
    "manifesto_epub": "se_communist_manifesto.epub",
    "fetch": "web-hacks-mozilla-this-api-is-so-fetching.html",
}
EDIT_KINDS = [
    "typo fixed",
    "respelling",
    "quotes and dashes changed",
    "word changed near the quote",
    "sentence moved",
    "sentence deleted",
    "sentence reworded",
    "paragraph split",
    "paragraphs merged",
    "paragraph inserted",
    "paragraph deleted",
    "copy of the quote inserted",
    "front matter added",
    "long paragraph split into many",
    "quotation marks and dashes restyled",
]
GLOBAL_KINDS = {"respelling", "front matter added", "quotation marks and dashes restyled"}
NEW = -1
_SENTENCE_END = re.compile(r"[.!?;][\"”’)]*\s+")
_WORD = re.compile(r"[A-Za-z]+")


def book_path(book: str) -> Path:
    return TEXTS / BOOKS[book]


@dataclass(eq=False)
class Passage:
    kind: str
    chars: list[str]
    origin: list[int]  # old passage index * STRIDE + offset, or NEW
    holds: set[int] = field(default_factory=set)  # old passages it has characters of

    def __post_init__(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.holds = {o // STRIDE for o in self.origin if o != NEW}

    @property
    def text(self) -> str:
        return "".join(self.chars)


@dataclass
class Chapter:
    title: str
    passages: list[Passage]


STRIDE = 10_000_000


@dataclass(frozen=True)
class Thread:
    passage: int  # old passage index, in reading order
    start: int | None
    end: int | None


@dataclass(frozen=True)
class Truth:
    status: str  # kept, edited, damaged, gone
    passage: int | None = None  # new passage index, in reading order
    start: int | None = None
    end: int | None = None
    # For a whole passage split in parts: the other parts holding at least half as much.
    alternatives: tuple[int, ...] = ()


@dataclass
class Case:
    book: str
    seed: int
    old: list[tuple[str, list[tuple[str, str]]]]  # chapters: (title, [(kind, text)])
    new: list[tuple[str, list[tuple[str, str]]]]
    threads: list[Thread]
    truths: list[Truth] = field(default_factory=list)
    touched: list[set[str]] = field(default_factory=list)  # edit kinds near each thread
    new_origins: list[list[int]] = field(default_factory=list)  # per new passage

    @property
    def old_texts(self) -> list[str]:
        return [text for _, passages in self.old for _, text in passages]

    @property
    def new_texts(self) -> list[str]:
        return [text for _, passages in self.new for _, text in passages]


# Making a case -----------------------------------------------------------------------------


def make_case(
    book: str,
    seed: int,
    threads: int,
    edits_per_passage: float = 0.6,
    every_global_edit: bool = False,
) -> Case:
    """A case: `threads` threads on `book`, a new edition made with `seed` (about
    `edits_per_passage` local edits per passage, and each global edit by chance, or all of
    them with `every_global_edit`)."""
    from readings.uploads import parse_upload

    parsed = parse_upload(book_path(book).read_bytes(), book_path(book).name)
    old = [(c.title, [(p.kind, p.text) for p in c.passages]) for c in parsed.chapters]
    return make_case_from(book, old, seed, threads, edits_per_passage, every_global_edit)


def make_case_from(
    book: str,
    old: list[tuple[str, list[tuple[str, str]]]],
    seed: int,
    threads: int,
    edits_per_passage: float = 0.6,
    every_global_edit: bool = False,
) -> Case:
    """`make_case` for a text given as chapters: [(title, [(kind, text), ...]), ...]."""
    rng = random.Random(f"{book}:{seed}")
    doc = _document(old)
    texts = [text for _, passages in old for _, text in passages]
    thread_list = _place_threads(rng, texts, threads)
    from .corpus_edits import Editor

    editor = Editor(rng, doc, texts, thread_list)
    editor.run(edits_per_passage, every_global_edit)
    new = [(c.title, [(p.kind, p.text) for p in c.passages if p.chars]) for c in doc]
    new = [(title, passages) for title, passages in new if passages]
    case = Case(book, seed, old, new, thread_list)
    case.truths = _truths(doc, texts, thread_list)
    case.new_origins = [p.origin for chapter in doc for p in chapter.passages if p.chars]
    case.touched = [editor.touched.get(thread.passage, set()) for thread in thread_list]
    return case


def _document(old) -> list[Chapter]:
    doc, index = [], 0
    for title, passages in old:
        chapter = Chapter(title, [])
        for kind, text in passages:
            chapter.passages.append(
                Passage(kind, list(text), [index * STRIDE + k for k in range(len(text))])
            )
            index += 1
        doc.append(chapter)
    return doc


def _place_threads(rng: random.Random, texts: list[str], count: int) -> list[Thread]:
    """Threads spread over the passages with words: mostly phrases of 2-12 words, some single
    short words, whole sentences and whole passages."""
    eligible = [i for i, text in enumerate(texts) if len(_WORD.findall(text)) >= 4]
    threads = []
    for i in rng.sample(eligible, min(count, len(eligible))):
        text = texts[i]
        roll = rng.random()
        if roll < 0.08:
            threads.append(Thread(i, None, None))
            continue
        if roll < 0.2:
            sentences = sentence_spans(text)
            start, end = rng.choice(sentences)
            threads.append(Thread(i, start, end))
            continue
        words = list(re.finditer(r"\S+", text))
        size = 1 if roll < 0.35 else rng.randint(2, min(12, len(words)))
        first = rng.randrange(0, len(words) - size + 1)
        start, end = words[first].start(), words[first + size - 1].end()
        while end > start and not text[end - 1].isalnum() and roll > 0.6:
            end -= 1  # sometimes without the punctuation that ends it
        threads.append(Thread(i, start, end))
    return threads


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, the space after it excluded."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + len(match.group().rstrip())
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


# The truth ----------------------------------------------------------------------------------


def _truths(doc: list[Chapter], texts: list[str], threads: list[Thread]) -> list[Truth]:
    new_passages = [p for chapter in doc for p in chapter.passages if p.chars]
    where: dict[int, list[tuple[int, int, int]]] = {}  # old passage → (new passage, at, offset)
    for j, passage in enumerate(new_passages):
        for k, o in enumerate(passage.origin):
            if o != NEW:
                where.setdefault(o // STRIDE, []).append((j, k, o % STRIDE))
    return [
        _truth(new_passages, texts, thread, where.get(thread.passage, [])) for thread in threads
    ]


def _truth(new_passages, texts, thread: Thread, where) -> Truth:
    from discussions.anchoring import WHOLE_PASSAGE_SHARE

    if thread.start is None:
        counts: dict[int, int] = {}
        for j, _, _ in where:
            counts[j] = counts.get(j, 0) + 1
        if not counts or len(where) < WHOLE_PASSAGE_SHARE * len(texts[thread.passage]):
            return Truth("gone")
        best = max(counts.values())
        first = min(j for j, n in counts.items() if n == best)
        others = tuple(j for j, n in counts.items() if j != first and 2 * n >= best)
        return Truth("kept", first, alternatives=others)
    found: dict[int, list[int]] = {}
    for j, k, offset in where:
        if thread.start <= offset < thread.end:
            found.setdefault(j, []).append(k)
    if not found:
        return Truth("gone")
    # The largest cluster of surviving characters (gaps of a few new ones allowed).
    clusters = []
    for j, positions in found.items():
        positions.sort()
        run = [positions[0]]
        for k in positions[1:]:
            if k - run[-1] > 20:
                clusters.append((j, run))
                run = []
            run.append(k)
        clusters.append((j, run))
    j, positions = max(clusters, key=lambda item: len(item[1]))
    start, end = min(positions), max(positions) + 1
    quote = texts[thread.passage][thread.start : thread.end]
    now = new_passages[j].text[start:end]
    survived = len(positions) / (thread.end - thread.start)
    if survived < 0.5:
        return Truth("gone")
    if fold_text(now) == fold_text(quote):
        return Truth("kept", j, start, end)
    if survived >= 0.8 and fuzz.ratio(fold_text(quote), fold_text(now)) >= 85:
        return Truth("edited", j, start, end)
    return Truth("damaged", j, start, end)


def judge(truth: Truth, status: str, passage, start, end) -> str:
    """ "right", "wrong", "orphaned" (for a thread whose words exist: not re-attached) or
    "orphaned as it should"."""
    if status == "orphaned":
        return "orphaned as it should" if truth.status == "gone" else "orphaned"
    if truth.status == "gone" or passage not in (truth.passage, *truth.alternatives):
        return "wrong"
    if truth.start is None:
        return "right"
    if start is None:
        return "wrong"
    overlap = max(0, min(end, truth.end) - max(start, truth.start))
    union = max(end, truth.end) - min(start, truth.start)
    return "right" if overlap * 2 >= union else "wrong"


def indistinguishable(case: Case, index: int, passage, start, end) -> bool:
    """Whether a placement on other words is on another copy of the quote from the same old
    passage that the edit cannot be told from ours: keeping our copy there explains the new
    text with no bigger an edit than keeping that copy there ("I do assure you… I am glad"
    less "I do assure you… " reads the same as less "do assure you… I ")."""
    from discussions.quotes import edit_keeping

    thread = case.threads[index]
    if passage is None or start is None or thread.start is None:
        return False
    old_text = case.old_texts[thread.passage]
    quote = old_text[thread.start : thread.end]
    new_text = case.new_texts[passage]
    if fold_text(new_text[start:end]) != fold_text(quote):
        return False
    origins = {
        o % STRIDE
        for o in case.new_origins[passage][start:end]
        if o != NEW and o // STRIDE == thread.passage
    }
    if not origins:
        return False
    copy = min(origins)
    if copy == thread.start or old_text[copy : copy + len(quote)] != quote:
        return False
    length = len(quote)
    return edit_keeping(old_text, thread.start, new_text, start, length) <= edit_keeping(
        old_text, copy, new_text, start, length
    )
