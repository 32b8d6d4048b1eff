"""The re-anchoring's promise, measured on real books with seeded edits (no database).

Each seed makes a new edition of every book in `../shared/texts/` that the importers read
(`reanchoring_corpus.EDIT_KINDS`: typo fixes, respellings, quotation marks and dashes changed
and restyled, words changed near the quote, sentences moved, deleted and reworded, paragraphs
split, merged, inserted and deleted, copies of the quote inserted, front matter added so the
chapters renumber, a long paragraph split into many). Every thread's words are followed
character by character, so the truth is known; the threads are re-anchored through the same
planning and rules as a re-import (`corpus_run.run`).
"""

from __future__ import annotations

import pytest

from .corpus_run import figures, run
from .reanchoring_corpus import BOOKS, TEXTS, book_path, make_case

SEEDS = [5, 6, 7]
THREADS_PER_BOOK = 700

pytestmark = [
    pytest.mark.skipif(
        not TEXTS.is_dir(), reason=f"the real books are not here ({TEXTS} is missing)"
    ),
    pytest.mark.one_database,  # measures the algorithm, whatever stores the threads
]


def _readable_books() -> list[str]:
    from readings.importers import ReadingImportError
    from readings.uploads import parse_upload

    books = []
    for book in BOOKS:
        try:
            parse_upload(book_path(book).read_bytes(), book_path(book).name)
        except (OSError, ReadingImportError):
            continue
        books.append(book)
    return books


@pytest.fixture(scope="module")
def results() -> dict[int, list]:
    books = _readable_books()
    by_seed = {}
    for seed in SEEDS:
        by_seed[seed] = []
        for book in books:
            case = make_case(book, seed, THREADS_PER_BOOK)
            by_seed[seed].append((case, run(case)))
    return by_seed


def _describe(case, outcome) -> str:
    thread = case.threads[outcome.thread_index]
    text = case.old_texts[thread.passage]
    quote = text[thread.start : thread.end] if thread.start is not None else "(whole passage)"
    placement = outcome.placement
    return (
        f"{case.book} seed {case.seed}: {quote!r} ({case.truths[outcome.thread_index]}) "
        f"placed {placement.status} in {placement.key} at {placement.start}:{placement.end} "
        f"{placement.exact!r}; edits: {sorted(case.touched[outcome.thread_index])}"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_no_thread_lands_on_other_words_and_nearly_all_find_theirs(results, seed):
    wrong = [
        _describe(case, outcome)
        for case, outcomes in results[seed]
        for outcome in outcomes
        if outcome.verdict == "wrong"
    ]
    total = figures(results[seed])["total"]

    assert wrong == []
    assert total["reattached"] / total["exist"] >= 0.98


def test_the_corpus_is_large_and_varied(results):
    every = [pair for pairs in results.values() for pair in pairs]
    found = figures(every)

    total = found["total"]
    assert total["threads"] >= 3000
    # Threads whose words are gone exist, and every one of them was orphaned — but where an
    # edit cannot be told from one that kept the thread's words and deleted another copy of
    # them, which the rules accept (a handful in thousands).
    assert total["truth gone"] > 100
    gone = [
        outcome.verdict
        for case, outcomes in every
        for outcome in outcomes
        if case.truths[outcome.thread_index].status == "gone"
    ]
    assert set(gone) <= {"orphaned as it should", "indistinguishable"}
    assert total["indistinguishable"] <= total["threads"] / 1000
    # Every kind of edit touched threads.
    kinds = {kind for kind, counts in found["by_kind"].items() if counts["threads"] >= 20}
    assert kinds >= set(EDIT_KINDS_TESTED)


EDIT_KINDS_TESTED = [
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
    "copy of the quote inserted",
    "front matter added",
    "long paragraph split into many",
    "quotation marks and dashes restyled",
]
