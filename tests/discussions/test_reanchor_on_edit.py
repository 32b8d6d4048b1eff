"""Threads stay on their words when a reading's text is edited or re-imported."""

from __future__ import annotations

import pytest

from discussions.models import AnchorStatus, Comment
from readings.importers.base import ParsedChapter, ParsedPassage, ParsedReading
from readings.models import Passage
from readings.services import edit_passage, reimport_reading, save_parsed_reading
from tests import factories
from tests.factories import make_circle, make_reading

FIRST = (
    "It was a bright cold day in April, and the clocks were striking thirteen. "
    "Winston Smith, his chin nuzzled into his breast, slipped quickly through the glass doors."
)
SECOND = "The hallway smelt of boiled cabbage and old rag mats."
THIRD = "At one end of it a coloured poster, too large for indoor display, had been tacked."


def parsed(*chapters: list[str]) -> ParsedReading:
    return ParsedReading(
        title="Nineteen",
        author="G. O.",
        chapters=[
            ParsedChapter(
                title=f"Chapter {n}",
                passages=[ParsedPassage("paragraph", text, text) for text in texts],
            )
            for n, texts in enumerate(chapters, 1)
        ],
    )


@pytest.fixture
def reading(db):
    return save_parsed_reading(parsed([FIRST, SECOND, THIRD], ["Chapter two begins here."]))


@pytest.fixture
def circle(organizer, reading):
    return make_circle(organizer, readings=[reading])


def passage_with(reading, words: str) -> Passage:
    return Passage.objects.get(reading=reading, text__contains=words)


def thread_on(circle, author, passage: Passage, words: str | None) -> Comment:
    """A thread root anchored to `words` in `passage` (or the whole passage when None)."""
    return factories.thread_on(circle, author, passage, words, body="What a line.")


def test_fixing_a_typo_inside_a_commented_phrase_keeps_the_thread_on_that_phrase(
    circle, organizer, reading
):
    passage = passage_with(reading, "bright cold")
    edit_passage(passage, text=FIRST.replace("bright cold day", "brihgt cold day"))
    passage.refresh_from_db()
    thread = thread_on(circle, organizer, passage, "brihgt cold day in April")

    edit_passage(passage, text=FIRST)

    thread.refresh_from_db()
    reading.refresh_from_db()
    assert thread.passage_id == passage.pk
    assert thread.anchor_status == AnchorStatus.DRIFTED
    assert thread.anchor_exact == "bright cold day in April"
    assert FIRST[thread.anchor_start : thread.anchor_end] == "bright cold day in April"
    assert 0.85 <= thread.anchor_score < 1
    assert thread.anchor_text_version == reading.text_version


def test_a_drifted_thread_keeps_the_quote_it_was_written_on_through_later_edits(
    circle, organizer, reading
):
    passage = passage_with(reading, "bright cold")
    edit_passage(passage, text=FIRST.replace("bright cold day", "brihgt cold day"))
    passage.refresh_from_db()
    thread = thread_on(circle, organizer, passage, "brihgt cold day in April")

    edit_passage(passage, text=FIRST)
    edit_passage(passage, text=FIRST.replace("cold day", "cool day"))

    thread.refresh_from_db()
    assert thread.anchor_status == AnchorStatus.DRIFTED
    assert thread.anchor_exact == "bright cool day in April"
    assert thread.anchor_original_exact == "brihgt cold day in April"


def test_a_thread_saved_without_its_quote_as_written_gets_it_before_it_moves(
    circle, organizer, reading
):
    passage = passage_with(reading, "bright cold")
    thread = thread_on(circle, organizer, passage, "bright cold day in April")
    Comment.objects.filter(pk=thread.pk).update(anchor_original_exact="")

    edit_passage(passage, text=FIRST.replace("bright cold day", "brihgt cold day"))

    thread.refresh_from_db()
    assert thread.anchor_exact == "brihgt cold day in April"
    assert thread.anchor_original_exact == "bright cold day in April"


def test_fixing_a_typo_inside_a_short_commented_phrase_keeps_the_thread_on_it(
    circle, organizer, reading
):
    passage = passage_with(reading, "hallway")
    edit_passage(passage, text=SECOND.replace("old rag", "odl rag"))
    passage.refresh_from_db()
    thread = thread_on(circle, organizer, passage, "odl rag")

    edit_passage(passage, text=SECOND)

    thread.refresh_from_db()
    assert (thread.passage_id, thread.anchor_status) == (passage.pk, AnchorStatus.DRIFTED)
    assert SECOND[thread.anchor_start : thread.anchor_end] == thread.anchor_exact == "old rag"
    assert thread.anchor_original_exact == "odl rag"


def test_a_new_thread_keeps_its_quote_as_written_and_a_whole_passage_thread_has_none(
    circle, organizer, reading
):
    passage = passage_with(reading, "bright cold")
    phrase = thread_on(circle, organizer, passage, "the clocks")
    whole = thread_on(circle, organizer, passage, None)

    assert phrase.anchor_original_exact == phrase.anchor_exact == "the clocks"
    assert whole.anchor_original_exact == whole.anchor_exact == ""


def test_an_edit_before_the_phrase_shifts_the_offsets(circle, organizer, reading):
    passage = passage_with(reading, "bright cold")
    thread = thread_on(circle, organizer, passage, "the glass doors")

    edit_passage(passage, text="Oh! " + FIRST)

    thread.refresh_from_db()
    assert thread.anchor_status == AnchorStatus.ANCHORED
    assert thread.anchor_start == FIRST.index("the glass doors") + 4
    assert thread.anchor_exact == "the glass doors"


def test_a_reimport_that_moves_the_sentence_to_the_next_paragraph_moves_the_thread(
    circle, organizer, reading
):
    first = passage_with(reading, "bright cold")
    thread = thread_on(circle, organizer, first, "his chin nuzzled into his breast")
    reply = Comment.objects.create(
        circle=circle,
        author=organizer,
        reading=reading,
        chapter=first.chapter,
        passage=first,
        passage_key=first.key,
        parent=thread,
        root=thread,
        body="Agreed.",
        body_html="<p>Agreed.</p>",
    )
    moved = FIRST[FIRST.index("Winston") :]
    new_first = FIRST[: FIRST.index("Winston") - 1]
    new_second = moved + " " + SECOND

    reimport_reading(reading, parsed([new_first, new_second, THIRD], ["Chapter two begins here."]))

    thread.refresh_from_db()
    reply.refresh_from_db()
    now = Passage.objects.get(reading=reading, text=new_second)
    assert thread.passage_id == now.pk
    assert thread.passage_key == now.key
    assert thread.chapter_id == now.chapter_id
    assert thread.anchor_status == AnchorStatus.ANCHORED
    assert thread.anchor_exact == "his chin nuzzled into his breast"
    assert new_second[thread.anchor_start : thread.anchor_end] == thread.anchor_exact
    assert (reply.passage_id, reply.passage_key) == (now.pk, now.key)


def test_deleting_the_passage_orphans_the_thread_without_deleting_it(circle, organizer, reading):
    third = passage_with(reading, "coloured poster")
    thread = thread_on(circle, organizer, third, "a coloured poster")
    whole = thread_on(circle, organizer, third, None)

    reimport_reading(reading, parsed([FIRST, SECOND], ["Chapter two begins here."]))

    assert not Passage.objects.filter(pk=third.pk).exists()
    thread.refresh_from_db()
    whole.refresh_from_db()
    assert thread.anchor_status == AnchorStatus.ORPHANED
    assert thread.passage_id is None
    assert thread.passage_key == third.key
    assert thread.anchor_exact == "a coloured poster"
    assert thread.body == "What a line."
    assert whole.anchor_status == AnchorStatus.ORPHANED
    assert whole.anchor_exact == THIRD  # the passage's last text, to stay readable


def test_a_whole_passage_thread_follows_its_edited_passage(circle, organizer, reading):
    passage = passage_with(reading, "hallway")
    thread = thread_on(circle, organizer, passage, None)

    edit_passage(passage, text="The hallway smelt of cabbage.")

    thread.refresh_from_db()
    assert (thread.passage_id, thread.anchor_status) == (passage.pk, AnchorStatus.ANCHORED)
    assert thread.anchor_start is None


def test_threads_on_unchanged_passages_are_left_alone(circle, organizer, reading):
    passage = passage_with(reading, "hallway")
    thread = thread_on(circle, organizer, passage, "boiled cabbage")
    version = thread.anchor_text_version

    edit_passage(passage_with(reading, "bright cold"), text=FIRST + " Then rain.")

    thread.refresh_from_db()
    assert thread.anchor_text_version == version
    assert thread.anchor_start == SECOND.index("boiled cabbage")


@pytest.mark.parametrize("threads", [5, 50])
def test_the_receivers_queries_do_not_grow_with_the_number_of_threads(
    threads, organizer, django_assert_max_num_queries
):
    reading = make_reading(chapters=2, words=40)
    circle = make_circle(organizer, readings=[reading])
    passages = list(Passage.objects.in_reading(reading))
    for n in range(threads):
        passage = passages[n % len(passages)]
        words = passage.text.split()
        thread_on(circle, organizer, passage, " ".join(words[n % 10 : n % 10 + 3]))
    changed = [
        [f"Changed {p.text}" for p in passages if p.chapter.number == number] for number in (1, 2)
    ]

    # The re-import alone takes 9 queries; the receivers add 7, whatever the number of threads
    # (roots, the chapters' passages, one bulk update, the replies, the chapters kept equal to
    # the passages', and for the report the passages now and the circles' names).
    with django_assert_max_num_queries(16):
        reimport_reading(reading, parsed(*changed))

    statuses = set(Comment.objects.values_list("anchor_status", flat=True))
    assert statuses == {AnchorStatus.ANCHORED}
