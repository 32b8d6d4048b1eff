"""A re-import that changes a reading's structure: chapters renumbered, passages moving between
chapters, chapters removed under sessions. Threads, their chapters and sessions' ranges follow
the text."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks

from circles.models import Meeting
from discussions.models import AnchorStatus, Comment
from readings.importers.base import ParsedChapter, ParsedPassage, ParsedReading
from readings.models import Chapter, Passage
from readings.services import reimport, reimport_reading, save_parsed_reading
from tests import factories
from tests.factories import make_circle, make_meeting

pytestmark = pytest.mark.django_db

ONE = [
    "The first chapter opens on a grey morning by the harbour wall.",
    "Fishermen mended their nets and said nothing about the weather.",
]
TWO = [
    "In the second chapter the town council met to argue about the bridge.",
    "Nobody agreed, and the mayor went home early with a headache.",
]
THREE = [
    "The third chapter brings the storm that everyone had been waiting for.",
    "By nightfall the bridge was gone and the argument with it.",
]
PREFACE = ["A preface by the editor, who found the manuscript in an attic."]


def parsed(*chapters: tuple[str, list[str]]) -> ParsedReading:
    return ParsedReading(
        title="Harbour",
        chapters=[
            ParsedChapter(title, [ParsedPassage("paragraph", text, text) for text in texts])
            for title, texts in chapters
        ],
        format="text",
    )


@pytest.fixture
def reading(db):
    return save_parsed_reading(parsed(("One", ONE), ("Two", TWO), ("Three", THREE)))


@pytest.fixture
def circle(organizer, reading):
    return make_circle(organizer, readings=[reading])


def thread_on(circle, author, words: str | None, text: str | None = None) -> Comment:
    passage = Passage.objects.get(text__contains=text or words)
    return factories.thread_on(circle, author, passage, words)


def reply_to(root: Comment) -> Comment:
    return Comment.objects.create(
        circle=root.circle,
        author=root.author,
        reading=root.reading,
        chapter=root.chapter,
        passage=root.passage,
        passage_key=root.passage_key,
        parent=root,
        root=root,
        body="Yes.",
        body_html="<p>Yes.</p>",
    )


def chapters_of(reading) -> list[tuple[int, int, str]]:
    return [(c.pk, c.number, c.title) for c in Chapter.objects.of(reading)]


def test_a_preface_added_renumbers_the_chapters_and_everything_follows(circle, organizer, reading):
    before = chapters_of(reading)
    thread = thread_on(circle, organizer, "the town council met")
    session = make_meeting(circle, reading, first=2, last=3)

    reimport_reading(
        reading, parsed(("Preface", PREFACE), ("One", ONE), ("Two", TWO), ("Three", THREE))
    )

    after = chapters_of(reading)
    assert after[1:] == [(pk, number + 1, title) for pk, number, title in before]
    thread.refresh_from_db()
    two = Chapter.objects.get(pk=before[1][0])
    assert (thread.chapter_id, thread.anchor_status) == (two.pk, AnchorStatus.ANCHORED)
    assert two.get_absolute_url().endswith("/3/")
    session.refresh_from_db()
    assert (session.first_chapter_id, session.last_chapter_id) == (before[1][0], before[2][0])
    assert session.chapter_label == "Two – Three"


def test_a_passage_moved_unchanged_to_the_next_chapter_takes_its_thread_and_replies(
    circle, organizer, reading
):
    thread = thread_on(circle, organizer, "said nothing about the weather")
    reply = reply_to(thread)
    whole = thread_on(circle, organizer, None, "Fishermen")
    two = Chapter.objects.get(reading=reading, number=2)

    reimport_reading(reading, parsed(("One", ONE[:1]), ("Two", [ONE[1], *TWO]), ("Three", THREE)))

    for comment in (thread, reply, whole):
        comment.refresh_from_db()
        assert comment.chapter_id == two.pk
        assert comment.passage.chapter_id == two.pk
    assert thread.anchor_status == AnchorStatus.ANCHORED
    assert [e.id for e in run_checks(databases=["default"])] == []


def test_the_check_names_comments_whose_chapter_is_not_their_passages(circle, organizer, reading):
    thread = thread_on(circle, organizer, "said nothing about the weather")
    Comment.objects.filter(pk=thread.pk).update(
        chapter=Chapter.objects.get(reading=reading, number=3)
    )

    errors = [e for e in run_checks(databases=["default"]) if e.id == "discussions.E001"]

    assert len(errors) == 1
    assert "1 comment(s)" in errors[0].msg and str(thread.pk) in errors[0].msg


def test_merging_two_chapters_moves_a_session_onto_the_chapter_that_took_the_text(
    circle, organizer, reading
):
    session = make_meeting(circle, reading, first=2, last=2)
    three = Chapter.objects.get(reading=reading, number=3)
    sequence = session.sequence

    result = reimport(reading, parsed(("One", ONE), ("Two and Three", [*TWO, *THREE])))

    session.refresh_from_db()
    # Chapter two's text is the larger part of the merged chapter: two's row continues.
    merged = Chapter.objects.get(reading=reading, number=2)
    assert not Chapter.objects.filter(pk=three.pk).exists()
    assert (session.first_chapter_id, session.last_chapter_id) == (merged.pk, merged.pk)
    assert session.sequence == sequence
    assert result.chapters and [c.chapter_id for c in result.chapters if c.removed] == [three.pk]


def test_a_removed_chapter_at_the_end_of_a_range_moves_it_to_the_chapter_with_its_text(
    circle, organizer, reading
):
    session = make_meeting(circle, reading, first=1, last=3)
    two = Chapter.objects.get(reading=reading, number=2)

    result = reimport(reading, parsed(("One", ONE), ("Two and Three", [*TWO, *THREE])))

    session.refresh_from_db()
    assert (session.first_chapter.number, session.last_chapter_id) == (1, two.pk)
    assert session.sequence == 1
    [report] = result.reports["sessions"]
    assert (report["before"], report["after"]) == ("Chapters 1–3", "Chapters 1–2")
    assert "its text is now in “Two and Three”" in report["why"]


def test_a_removed_chapter_whose_text_went_nowhere_shrinks_the_range(circle, organizer, reading):
    session = make_meeting(circle, reading, first=2, last=3)
    alone = make_meeting(circle, reading, first=3, last=3)

    result = reimport(reading, parsed(("One", ONE), ("Two", TWO)))

    session.refresh_from_db()
    alone.refresh_from_db()
    assert (session.first_chapter.number, session.last_chapter.number) == (2, 2)
    assert (alone.first_chapter.number, alone.last_chapter.number) == (2, 2)
    reports = {r["session"]: r for r in result.reports["sessions"]}
    assert reports[session.pk]["after"] == "Chapter 2"
    assert "removed" in reports[alone.pk]["why"]
    assert Meeting.objects.count() == 2


def test_the_report_names_every_threads_fate(circle, organizer, reading):
    stays = thread_on(circle, organizer, "grey morning")
    moves = thread_on(circle, organizer, "went home early")
    drifts = thread_on(circle, organizer, "the argument with it")
    gone = thread_on(circle, organizer, "brings the storm that everyone")
    new_three = [
        "The third chapter has no storm at all in this edition of the book.",
        "By nightfall the bridge was gone and the argumant with it.",
    ]

    result = reimport(
        reading,
        parsed(("One", [*ONE, TWO[1]]), ("Two", TWO[:1]), ("Three", new_three)),
    )

    threads = result.reports["threads"]
    fates = {detail["thread"]: detail for detail in threads["details"]}
    assert fates[stays.pk]["fate"] == "stays"
    assert fates[moves.pk]["fate"] == "moves"
    assert fates[moves.pk]["to"]["chapter"] == 1
    assert fates[drifts.pk]["fate"] == "drifted"
    assert fates[drifts.pk]["words"] == "the argumant with it"
    assert 0.85 <= fates[drifts.pk]["score"] < 1
    assert fates[gone.pk]["fate"] == "orphaned"
    assert (threads["stays"], threads["moves"], threads["drifted"], threads["orphaned"]) == (
        1,
        1,
        1,
        1,
    )
