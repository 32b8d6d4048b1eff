"""Matching old passages to new ones: the rule that keeps permalinks stable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from readings.models import content_hash
from readings.services import match_passages


def match(old: list[str], new: list[str]) -> dict[int, int]:
    return match_passages([content_hash(t) for t in old], old, [content_hash(t) for t in new], new)


def test_a_slightly_edited_passage_is_matched_and_a_new_one_is_not():
    old = ["The first paragraph of the text.", "The second one, quite long enough."]
    new = [
        "The first paragraph of the text.",
        "Something else entirely, inserted.",
        "The second one, quite long enough!",
    ]

    assert match(old, new) == {0: 0, 2: 1}


def test_a_rewritten_passage_is_not_matched():
    assert match(["Alpha beta gamma delta."], ["Nothing in common here at all."]) == {}


texts = st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=30, unique=True)


@given(old=texts, data=st.data())
def test_insertions_never_move_the_keys_of_untouched_passages(old, data):
    insert_at = sorted(data.draw(st.lists(st.integers(0, len(old)), max_size=5)))
    new = list(old)
    for offset, index in enumerate(insert_at):
        new.insert(index + offset, f"inserted passage number {offset} " + "x" * 40)

    result = match(old, new)

    assert {new[j]: old[i] for j, i in result.items() if new[j] in old} == {t: t for t in old}
    assert len(set(result.values())) == len(result)
