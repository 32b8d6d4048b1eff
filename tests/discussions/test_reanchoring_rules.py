"""The re-anchoring's rules through a whole re-import's alignment: what real edits showed
(issue 12) — each a rule, tried on a small text without a database."""

from __future__ import annotations

from collections import defaultdict

import pytest

from discussions.anchoring import ANCHORED, DRIFTED, ORPHANED, TextChange, place
from discussions.selectors import make_selector
from readings.reimport_plan import OldChapter, plan_reimport

Chapters = list[tuple[str, list[str]]]


def relocate(old: Chapters, new: Chapters, words: str | None, in_passage: str):
    """Place a thread on `words` (None: the whole passage) of the old passage containing
    `in_passage`, through the plan of re-importing `new` over `old`. Returns the placement and
    the new passage texts (by index in reading order)."""
    old_texts = [text for _, texts in old for text in texts]
    chapters, index = [], 0
    old_chapter_of = {}
    for number, (title, texts) in enumerate(old):
        ids = list(range(index, index + len(texts)))
        old_chapter_of.update(dict.fromkeys(ids, number))
        chapters.append(OldChapter(number, title, ids))
        index += len(texts)
    plan = plan_reimport(chapters, dict(enumerate(old_texts)), new)
    new_texts = [text for _, texts in new for text in texts]
    members = defaultdict(list)
    for j, chapter in enumerate(plan.chapter_of):
        members[chapter].append(j)
    change = TextChange(
        alignment=plan.alignment,
        old_texts=dict(enumerate(old_texts)),
        new_texts=dict(enumerate(new_texts)),
        chapters=dict(members),
        chapter_of=dict(enumerate(plan.chapter_of)),
        fallback_chapters={i: plan.successors[old_chapter_of[i]] for i in old_chapter_of},
    )
    passage = next(i for i, text in enumerate(old_texts) if in_passage in text)
    text = old_texts[passage]
    if words is None:
        selector = make_selector(text, None, None)
    else:
        start = text.index(words)
        selector = make_selector(text, start, start + len(words))
    return place(selector, passage, change), new_texts


def words_at(placement, new_texts) -> str:
    return new_texts[placement.key][placement.start : placement.end]


def test_a_sentence_moved_before_an_identical_phrase_keeps_its_own_words():
    moved = "At last she said it was all in vain, and left."
    old = [("One", [f"They talked all evening. {moved}", "Later he said it was all in vain."])]
    new = [("One", ["They talked all evening.", f"{moved} Later he said it was all in vain."])]

    placement, texts = relocate(old, new, "said it was all in vain", moved)

    assert placement.status == ANCHORED
    assert (placement.key, placement.start) == (1, texts[1].index("said it was all in vain"))


def test_a_removed_passage_is_followed_into_the_passage_that_took_its_words():
    # A paragraph inserted earlier and the commented one merged away: positions say nothing.
    old = [
        (
            "One",
            [
                "The first paragraph stays as it was.",
                "The mill stood by the river where the road bent twice.",
                "Its wheel had not turned since the flood of that spring.",
                "A short one.",
            ],
        )
    ]
    new = [
        (
            "One",
            [
                "The first paragraph stays as it was.",
                "An editor's note was added here.",
                "Another note, long enough to be a paragraph of its own.",
                "A short one. The mill stood by the river where the road bent twice.",
                "Its wheel had not turned since the flood of that spring.",
            ],
        )
    ]

    placement, texts = relocate(old, new, "where the road bent", "The mill stood")

    assert (placement.status, words_at(placement, texts)) == (ANCHORED, "where the road bent")
    assert placement.key == 3


def test_a_paragraph_split_into_many_keeps_every_quote():
    sentences = [f"Sentence {word} says something of its own here." for word in "abcdefgh"]
    old = [("One", [" ".join(sentences)])]
    new = [("One", sentences)]

    for n, sentence in enumerate(sentences):
        placement, texts = relocate(old, new, sentence[:24], sentence)
        assert (placement.status, placement.key) == (ANCHORED, n)
        assert words_at(placement, texts) == sentence[:24]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "“I am sick of Mr. Bingley,” cried his wife.",
            '"I am sick of Mr. Bingley," cried his wife.',
        ),
        ("It was—so she said—over.", "It was -- so she said -- over."),
        ("She waited… and waited.", "She waited... and waited."),
        ("Don’t go", "Don't go"),
        ("A\u00a0thing apart.", "A thing apart."),
    ],
)
def test_typographic_variants_never_break_an_exact_match(before, after):
    old = [("One", ["Something came first.", before, "Something came after."])]
    new = [("One", ["Something came first.", after, "Something came after."])]

    placement, texts = relocate(old, new, before, before)

    assert (placement.status, placement.score) == (ANCHORED, 1.0)
    assert words_at(placement, texts) == after


def test_a_quote_found_twice_in_the_chapter_is_placed_only_where_its_context_agrees():
    old = [
        (
            "One",
            [
                "When the bell rang twice, the whole village ran to the square.",
                "Nobody remembered why.",
            ],
        )
    ]
    new = [
        (
            "One",
            [
                "Nobody remembered why. Then the bell rang twice again, for nothing.",
                "Much later, when the bell rang twice, the whole village ran to the square.",
            ],
        )
    ]

    placement, texts = relocate(old, new, "the bell rang twice", "When the bell")

    assert placement.status == ANCHORED
    assert placement.key == 1
    assert texts[1][placement.end :].startswith(", the whole village")


def test_a_quote_moved_far_in_its_chapter_is_found_where_its_context_agrees():
    paragraphs = [
        f"Paragraph {n} of the chapter, with words of its own, number {n}." for n in range(8)
    ]
    quote_paragraph = "The storm broke the old bridge in two, said the ferryman."
    old = [("One", [quote_paragraph, *paragraphs])]
    new = [
        ("One", [*paragraphs[:6], quote_paragraph.replace(", said", ", shouted"), *paragraphs[6:]])
    ]

    placement, texts = relocate(old, new, "broke the old bridge in two", "The storm")

    assert (placement.status, placement.key) == (ANCHORED, 6)
    assert words_at(placement, texts) == "broke the old bridge in two"


def test_a_thread_whose_words_are_gone_is_orphaned_not_moved_onto_similar_words():
    old = [
        (
            "One",
            [
                "The captain ordered the sails furled before the storm.",
                "The sailors obeyed, grumbling about the captain.",
            ],
        )
    ]
    new = [("One", ["The sailors obeyed, grumbling about the captain."])]

    placement, _ = relocate(old, new, "The captain ordered the sails furled", "ordered")

    assert placement.status == ORPHANED


@pytest.mark.parametrize(
    ("new", "home"),
    [
        # Merged into the next paragraph: it holds most of the old text.
        ([["Short first.", "The commented paragraph, long enough to count. And the next one."]], 1),
        # Trimmed to its first sentence.
        ([["Short first.", "The commented paragraph, long enough to count.", "And the next."]], 1),
    ],
)
def test_a_whole_passage_thread_follows_the_passage_holding_most_of_its_text(new, home):
    old = [
        (
            "One",
            [
                "Short first.",
                "The commented paragraph, long enough to count. It had a tail.",
                "And the next one.",
            ],
        )
    ]

    placement, _ = relocate(old, [("One", new[0])], None, "The commented paragraph")

    assert (placement.status, placement.key, placement.start) == (ANCHORED, home, None)


def test_a_typo_fixed_in_a_sentence_moved_to_another_paragraph_drifts_with_it():
    old = [("One", ["First it rained. The riverr rose over the old stone wall.", "Then calm."])]
    new = [("One", ["First it rained.", "The river rose over the old stone wall. Then calm."])]

    placement, texts = relocate(old, new, "The riverr rose over the old stone", "riverr")

    assert (placement.status, placement.key) == (DRIFTED, 1)
    assert words_at(placement, texts) == "The river rose over the old stone"


def test_chapters_are_matched_by_the_text_they_hold_when_a_preface_is_added():
    old = [("I", ["The first chapter's text, long enough."]), ("II", ["The second one's."])]
    new = [("Preface", ["A new preface."]), ("I", old[0][1]), ("II", old[1][1])]
    chapters = [OldChapter(10, "I", [0]), OldChapter(20, "II", [1])]

    plan = plan_reimport(chapters, {0: old[0][1][0], 1: old[1][1][0]}, new)

    assert plan.chapter_rows == {1: 10, 2: 20}
