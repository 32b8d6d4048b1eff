"""Aligning a reading's old and new text: which old characters each new passage took over."""

from __future__ import annotations

from readings.alignment import align
from readings.typography import align_key, fold

OLD = [
    (1, "It was a bright cold day in April. Winston slipped through the glass doors."),
    (2, "The hallway smelt of boiled cabbage and old rag mats."),
]


def test_a_sentence_moved_to_the_next_paragraph_is_carried_there():
    new = [
        ("a", "It was a bright cold day in April."),
        ("b", "Winston slipped through the glass doors. The hallway smelt of boiled cabbage."),
    ]
    start = OLD[0][1].index("Winston")

    carried = align(OLD, new).carry(1, start, start + 7)

    assert (carried.new, carried.start, carried.end, carried.kept) == ("b", 0, 7, 7)


def test_what_a_new_passage_took_over_and_where_an_old_one_went():
    new = [("ab", OLD[0][1] + " " + OLD[1][1])]

    alignment = align(OLD, new)

    assert alignment.sources("ab") == {1: len(OLD[0][1]), 2: len(OLD[1][1])}
    assert alignment.destinations(2) == {"ab": len(OLD[1][1])}
    [(old, start, end, moved)] = alignment.origin("ab", len(OLD[0][1]) + 1, len(new[0][1]))
    assert (old, start, end, moved) == (2, 0, len(OLD[1][1]), False)


def test_a_rewritten_passage_takes_over_nothing_of_the_old_one():
    alignment = align(
        [(1, "Paragraph three says something about reading, number 3.")],
        [(1, "Completely different words here.")],
    )

    assert alignment.destinations(1) == {}


def test_a_passage_moved_against_the_order_is_found_as_moved():
    paragraphs = [(n, f"Paragraph {n} has words of its own to say here.") for n in range(5)]
    new = [paragraphs[4], *paragraphs[:4]]

    alignment = align(paragraphs, new)

    assert all(alignment.destinations(n) == {n: len(text)} for n, text in paragraphs)
    assert any(block.moved for block in alignment.blocks)


def test_typographic_variants_are_the_same_text():
    old = [(1, "“Yes,” she said—it’s done…")]
    new = [(1, '"Yes," she said--it\'s done...')]

    assert align_key(old[0][1]) == '"Yes," she said-it\'s done…'
    assert align(old, new).destinations(1)[1] >= len("“Yes,” she said")
    folded = fold(new[0][1])
    assert folded.text == fold(old[0][1]).text
    start = folded.text.index("said")
    span = folded.span(start, start + len("said—it"))
    assert new[0][1][span[0] : span[1]] == "said--it"
