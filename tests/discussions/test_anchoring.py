"""Anchors: selectors made from the passage text, and finding the words again after an edit."""

from __future__ import annotations

import os

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from discussions.anchoring import (
    ANCHORED,
    CONTEXT,
    DRIFTED,
    ORPHANED,
    BadAnchor,
    Candidate,
    Selector,
    make_selector,
    reanchor,
    to_web_annotation,
)
from discussions.models import AnchorStatus

TEXT = (
    "It was a bright cold day in April, and the clocks were striking thirteen. "
    "Winston Smith, his chin nuzzled into his breast in an effort to escape the vile wind, "
    "slipped quickly through the glass doors of Victory Mansions."
)


def select(text: str, words: str) -> Selector:
    start = text.index(words)
    return make_selector(text, start, start + len(words))


# make_selector ------------------------------------------------------------------------------


def test_it_derives_the_quote_and_context_from_the_passage_text():
    selector = make_selector(TEXT, 9, 33)

    assert selector.exact == "bright cold day in April"
    assert selector.prefix == "It was a "
    assert selector.suffix == ", and the clocks were striking t"
    assert len(selector.suffix) == 32


def test_it_keeps_at_most_32_characters_of_context_inside_the_passage():
    start = TEXT.index("Winston")
    selector = make_selector(TEXT, start, start + 7)

    assert selector.prefix == TEXT[start - 32 : start]
    assert make_selector("Short.", 0, 5).prefix == ""
    assert make_selector("Short.", 0, 5).suffix == "."


def test_it_trims_whitespace_around_a_selection_and_moves_the_offsets():
    start = TEXT.index(" Winston") - 1  # ". Winston" minus the full stop: "  Winston Smith "
    selector = make_selector(TEXT, start + 1, start + 16)

    assert selector.exact == "Winston Smith,"
    assert (selector.start, selector.end) == (start + 2, start + 16)


def test_a_whole_passage_anchor_has_no_offsets_and_no_quote():
    assert make_selector(TEXT, None, None) == Selector(None, None, "", "", "")


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (5, 5, "empty"),
        (9, 3, "empty"),
        (-1, 4, "negative"),
        (0, 10_000, "beyond the passage"),
        (None, 4, "both"),
        (4, None, "both"),
        ("4", 9, "whole number"),
        (1.5, 9, "whole number"),
        (True, 9, "whole number"),
        (6, 7, "only whitespace"),
    ],
)
def test_bad_offsets_are_refused_with_a_clear_message(start, end, message):
    with pytest.raises(BadAnchor, match=message):
        make_selector(TEXT, start, end)


def test_bad_anchor_is_a_value_error():
    assert issubclass(BadAnchor, ValueError)


# reanchor: before/after pairs ---------------------------------------------------------------


def test_a_typo_fixed_inside_the_quote_drifts_onto_the_corrected_words():
    before = TEXT.replace("bright cold day", "brihgt cold day")
    anchor = select(before, "brihgt cold day in April")

    placement = reanchor(anchor, before, [Candidate("k", TEXT, "same")])

    assert placement.status == DRIFTED
    assert placement.key == "k"
    assert placement.exact == "bright cold day in April"
    assert TEXT[placement.start : placement.end] == "bright cold day in April"
    assert 0.85 <= placement.score < 1


def test_a_word_changed_near_the_quote_keeps_it_anchored_at_shifted_offsets():
    anchor = select(TEXT, "the clocks were striking thirteen")
    after = TEXT.replace("It was a bright cold day", "It was an extremely cold day")

    placement = reanchor(anchor, TEXT, [Candidate("k", after, "same")])

    assert placement.status == ANCHORED
    assert placement.start == anchor.start + len("an extremely") - len("a bright")
    assert after[placement.start : placement.end] == "the clocks were striking thirteen"
    assert placement.prefix == after[placement.start - 32 : placement.start]
    assert placement.score == 1


def test_a_sentence_moved_to_the_next_paragraph_is_anchored_there():
    anchor = select(TEXT, "his chin nuzzled into his breast")
    first, moved = TEXT.split(" Winston")
    moved = "Winston" + moved
    nxt = moved + " The hallway smelt of boiled cabbage and old rag mats."

    placement = reanchor(
        anchor,
        TEXT,
        [
            Candidate("a", first, "same"),
            Candidate("b", nxt, "next", "The hallway smelt of boiled cabbage and old rag mats."),
        ],
    )

    assert placement.status == ANCHORED
    assert placement.key == "b"
    assert nxt[placement.start : placement.end] == "his chin nuzzled into his breast"


def test_a_split_passage_keeps_the_thread_in_the_half_that_has_its_words():
    anchor = select(TEXT, "the glass doors of Victory Mansions")
    first_half, second_half = TEXT[: TEXT.index("Winston") - 1], TEXT[TEXT.index("Winston") :]

    placement = reanchor(
        anchor,
        TEXT,
        [Candidate("a", first_half, "same"), Candidate("new", second_half, "next", None)],
    )

    assert placement.status == ANCHORED
    assert placement.key == "new"
    assert second_half[placement.start : placement.end] == "the glass doors of Victory Mansions"


def test_a_deleted_passage_orphans_the_thread_and_keeps_its_quote():
    anchor = select(TEXT, "striking thirteen")

    placement = reanchor(
        anchor, TEXT, [Candidate("b", "Something else entirely follows here.", "next", None)]
    )

    assert placement.status == ORPHANED
    assert placement.key is None
    assert placement.exact == "striking thirteen"
    assert placement.prefix == anchor.prefix


def test_a_quote_that_occurs_twice_is_found_again_by_its_context():
    text = "I said the word again. She said the word again, louder. Nobody listened."
    anchor = select(text[20:], "said the word again")  # the second one, "She said…"
    anchor = make_selector(text, 20 + anchor.start, 20 + anchor.end)
    assert text[anchor.start - 4 : anchor.start] == "She "
    # Both sentences are rewritten around the quote, and the second moves to the front.
    after = "She whispered: said the word again, louder. Then I said the word again."

    placement = reanchor(anchor, text, [Candidate("k", after, "same")])

    assert placement.status == ANCHORED
    assert after[placement.end : placement.end + 8] == ", louder"


def test_a_rewritten_sentence_orphans_the_thread_rather_than_landing_on_other_words():
    anchor = select(TEXT, "the clocks were striking thirteen")
    after = TEXT.replace(
        "the clocks were striking thirteen", "every bell in the city rang out at once"
    )

    placement = reanchor(anchor, TEXT, [Candidate("k", after, "same")])

    assert placement.status == ORPHANED
    assert placement.exact == "the clocks were striking thirteen"


def test_a_deleted_sentence_does_not_drift_onto_a_similar_sentence_that_was_already_there():
    text = "The cat sat on the mat by the door. The dog sat on the hat by the door."
    anchor = select(text, "The cat sat on the mat by the door.")
    after = "The dog sat on the hat by the door."

    placement = reanchor(anchor, text, [Candidate("k", after, "same")])

    assert placement.status == ORPHANED


def test_a_quote_deleted_from_its_passage_is_not_found_in_a_neighbour_that_always_had_it():
    text = "Then, said the old man, we go home. And so they went."
    anchor = select(text, "said the old man")
    neighbour = "Nobody moved, said the old man, not even the dog."

    placement = reanchor(
        anchor,
        text,
        [Candidate("k", "Then we go home.", "same"), Candidate("n", neighbour, "next", neighbour)],
    )

    assert placement.status == ORPHANED


def test_a_short_quote_is_never_matched_fuzzily():
    text = "We met in Pariss in the spring."
    anchor = select(text, "Pariss")
    after = "In the spring, they went to Paris and stayed."

    assert reanchor(anchor, text, [Candidate("k", after, "same")]).status == ORPHANED


def test_a_short_quote_needs_context_to_land_in_a_neighbour():
    text = "He loved Paris. Then the war came."
    anchor = select(text, "Paris")
    stranger = "She had never seen Paris at night."
    moved = "Later: He loved Paris. And more."

    assert reanchor(anchor, text, [Candidate("n", stranger, "next", None)]).status == ORPHANED
    placement = reanchor(anchor, text, [Candidate("n", moved, "next", None)])
    assert placement.status == ANCHORED
    assert moved[placement.start : placement.end] == "Paris"


def test_an_ambiguous_quote_in_two_neighbours_is_orphaned():
    text = "Alpha. The river ran dark and slow. Omega."
    anchor = select(text, "The river ran dark and slow.")
    twice = "The river ran dark and slow."

    placement = reanchor(
        anchor,
        text,
        [Candidate("p", twice, "previous", None), Candidate("n", twice, "next", None)],
    )

    assert placement.status == ORPHANED


def test_a_whole_passage_anchor_follows_its_passage():
    anchor = make_selector(TEXT, None, None)

    placement = reanchor(anchor, TEXT, [Candidate("k", "A new text.", "same")])

    assert (placement.status, placement.key, placement.start, placement.end) == (
        ANCHORED,
        "k",
        None,
        None,
    )


def test_a_whole_passage_anchor_follows_its_text_to_a_new_passage_or_is_orphaned():
    anchor = make_selector(TEXT, None, None)

    moved = reanchor(anchor, TEXT, [Candidate("other", TEXT, "next", None)])
    unchanged_twin = reanchor(anchor, TEXT, [Candidate("twin", TEXT, "next", TEXT)])
    gone = reanchor(anchor, TEXT, [Candidate("other", "Different.", "next", None)])

    assert (moved.status, moved.key) == (ANCHORED, "other")
    assert unchanged_twin.status == ORPHANED
    assert (gone.status, gone.key, gone.exact) == (ORPHANED, None, TEXT)


def test_statuses_are_the_comment_models_statuses():
    assert {ANCHORED, DRIFTED, ORPHANED} == set(AnchorStatus.values)


# to_web_annotation --------------------------------------------------------------------------


class FakeComment:
    def __init__(self, start, end, exact="", prefix="", suffix="", status=ANCHORED):
        self.anchor_start, self.anchor_end = start, end
        self.anchor_exact, self.anchor_prefix, self.anchor_suffix = exact, prefix, suffix
        self.anchor_status = status


def test_the_web_annotation_target_has_a_quote_and_a_position():
    comment = FakeComment(9, 33, "bright cold day in April", "It was a ", ", and")

    assert to_web_annotation(comment, "https://x.test/p#p-k") == {
        "source": "https://x.test/p#p-k",
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": "bright cold day in April",
                "prefix": "It was a ",
                "suffix": ", and",
            },
            {"type": "TextPositionSelector", "start": 9, "end": 33},
        ],
    }


def test_the_web_annotation_target_of_an_orphan_has_only_its_quote():
    comment = FakeComment(9, 33, "bright", "a ", " cold", status=ORPHANED)

    selectors = to_web_annotation(comment, "u")["selector"]

    assert [s["type"] for s in selectors] == ["TextQuoteSelector"]


def test_the_web_annotation_target_of_a_whole_passage_is_the_passage():
    assert to_web_annotation(FakeComment(None, None), "u") == {"source": "u"}


# Properties ---------------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "the",
        "a",
        "of",
        "river",
        "light",
        "window",
        "said",
        "never",
        "morning",
        "Winston",
        "clocks",
        "April",
        "grey",
        "bright",
        "cold",
        "doors",
        "glass",
        "dust",
        "wind,",
        "quickly.",
        "mansions;",
        "“quoted”",
        "déjà",
    ]
)
sentences = st.lists(WORDS, min_size=1, max_size=30).map(" ".join)


@st.composite
def edit_elsewhere(draw):
    """A text, a quote in it, and an insertion or deletion that does not touch the quote."""
    words = draw(st.lists(WORDS, min_size=4, max_size=60))
    i = draw(st.integers(0, len(words) - 1))
    j = draw(st.integers(i + 1, min(len(words), i + 8)))
    before, quote, after = " ".join(words[:i]), " ".join(words[i:j]), " ".join(words[j:])
    text = " ".join(part for part in (before, quote, after) if part)
    start = len(before) + 1 if before else 0
    end = start + len(quote)
    # The edit: insert or delete a stretch strictly before or strictly after the quote.
    side = draw(st.sampled_from(["before", "after"]))
    lo, hi = (0, start - 1) if side == "before" else (end + 1, len(text))
    assume(lo <= hi)
    at = draw(st.integers(lo, hi))
    if draw(st.booleans()):
        inserted = draw(sentences)
        new_text = text[:at] + inserted + text[at:]
        shift = len(inserted) if at < start else 0
    else:
        stop = draw(st.integers(at, hi))
        new_text = text[:at] + text[stop:]
        shift = -(stop - at) if at < start else 0
    return text, start, end, new_text, start + shift


@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 300)), deadline=None)
@given(edit_elsewhere())
def test_edits_elsewhere_in_the_passage_never_lose_the_quote(case):
    text, start, end, new_text, expected = case
    anchor = make_selector(text, start, end)

    placement = reanchor(anchor, text, [Candidate("k", new_text, "same")])

    assert placement.status == ANCHORED
    assert new_text[placement.start : placement.end] == anchor.exact
    # The words found are ours: where the edit put them or, when the quote occurs more than
    # once, a copy that the context cannot tell from ours (at least as much old context).
    assert placement.start == expected or (
        _count(anchor.exact, new_text) > 1
        and _context_agreement(anchor, new_text, placement.start)
        >= _context_agreement(anchor, new_text, expected)
    )


def _count(quote: str, text: str) -> int:
    """Occurrences of `quote` in `text`, overlapping ones included."""
    return sum(text.startswith(quote, i) for i in range(len(text)))


def _context_agreement(anchor: Selector, text: str, start: int) -> int:
    """Characters of the old context that still surround text[start:...] (both sides).

    A stored context shorter than CONTEXT reached the passage's edge, and the edge is
    context too: a copy still all that way from the edge earns one more on that side (in
    "river morning … river ariver morning …", the first "morning" still opens the passage
    as ours did, the second still has all of our suffix: neither can be told from ours).
    """
    end = start + len(anchor.exact)
    before, after = text[:start], text[end:]
    count = 0
    while count < min(len(anchor.prefix), len(before)) and (
        anchor.prefix[-1 - count] == before[-1 - count]
    ):
        count += 1
    total = count + (len(anchor.prefix) < CONTEXT and count == len(anchor.prefix) == len(before))
    count = 0
    while count < min(len(anchor.suffix), len(after)) and anchor.suffix[count] == after[count]:
        count += 1
    edge = len(anchor.suffix) < CONTEXT and count == len(anchor.suffix) == len(after)
    return total + count + edge


@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 300)), deadline=None)
@given(
    text=sentences,
    data=st.data(),
    same=sentences,
    neighbour=sentences,
)
def test_an_anchored_placement_always_sits_on_its_exact_words(text, data, same, neighbour):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assume(text[start:end].strip())
    anchor = make_selector(text, start, end)
    # The new text is either unrelated, or the old one with a random slice replaced.
    if data.draw(st.booleans()):
        a = data.draw(st.integers(0, len(text)))
        b = data.draw(st.integers(a, len(text)))
        same = text[:a] + data.draw(sentences) + text[b:]
    candidates = [Candidate("s", same, "same"), Candidate("n", neighbour, "next", None)]
    texts = {c.key: c.text for c in candidates}

    placement = reanchor(anchor, text, candidates)

    if placement.status in (ANCHORED, DRIFTED):
        found = texts[placement.key][placement.start : placement.end]
        assert found == placement.exact
        assert placement.status == DRIFTED or found == anchor.exact
    else:
        assert placement.exact == anchor.exact
