"""Replacing a reading's text: the preview's fates are the fates after confirming, the demo's
corrected seed keeps every thread on its words, and the record says what happened."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from discussions.anchoring import ANCHORED, DRIFTED
from discussions.models import Comment
from readings.models import Passage, ReplacementState, TextReplacement
from readings.replacement import (
    Upload,
    preview_replacement,
    queue_replacement,
    replace_text,
    run_replacement,
)
from readings.services import save_parsed_reading
from readings.signals import text_replaced
from readings.uploads import parse_upload
from tests.factories import make_circle, make_meeting, thread_on

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "readings" / "demo_data"
SEED = DEMO / "003_822ff67cca5cf967.txt"
CORRECTED = DEMO / "003_822ff67cca5cf967_corrected.txt"

# Phrases of the seed and where each must be after the correction: the same words, a fixed
# typo, the moved sentence, the two halves of the split paragraph.
SAME = [
    "the history of the term",
    "opted out of electoral politics entirely",
    "activities to survive in capitalism",
    "people in more imperiled communities",
    "the reliance on illicit trade",
]
PHRASES = {
    **{phrase: phrase for phrase in SAME},
    "classed-based or driven": "class-based or driven",
    "often over looked, often not given": "often overlooked, often not given",
}


@pytest.fixture
def reading(db):
    return save_parsed_reading(parse_upload(SEED.read_bytes(), SEED.name), slug="toward")


@pytest.fixture
def threads(organizer, reading) -> dict[str, Comment]:
    circle = make_circle(organizer, readings=[reading])
    made = {}
    first = Passage.objects.in_reading(reading).first()
    made[""] = _thread(circle, organizer, first, None)
    for phrase in PHRASES:
        passage = Passage.objects.get(reading=reading, text__contains=phrase)
        made[phrase] = _thread(circle, organizer, passage, phrase)
    return made


def _thread(circle, author, passage, phrase) -> Comment:
    return thread_on(circle, author, passage, phrase, body="On this.")


def corrected():
    return parse_upload(CORRECTED.read_bytes(), CORRECTED.name)


def test_the_preview_saves_nothing_and_its_fates_are_the_fates_after_confirming(
    reading, threads, django_capture_on_commit_callbacks
):
    before = list(Passage.objects.in_reading(reading).values_list("pk", "text"))

    preview = preview_replacement(reading, corrected())

    reading.refresh_from_db()
    assert reading.text_version == 1
    assert list(Passage.objects.in_reading(reading).values_list("pk", "text")) == before
    assert not TextReplacement.objects.exists()

    sent = []
    text_replaced.connect(receiver := lambda sender, **kwargs: sent.append(kwargs))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            record, report = replace_text(
                reading,
                corrected(),
                Upload(CORRECTED.read_bytes(), CORRECTED.name),
                expected=preview.fates(),
            )
    finally:
        text_replaced.disconnect(receiver)

    assert report.fates() == preview.fates()
    assert record.differences == []
    assert len(sent) == 1 and sent[0]["replacement"] == record


def test_every_demo_thread_is_on_its_words_after_the_corrected_seed(reading, threads):
    preview = preview_replacement(reading, corrected())

    replace_text(reading, corrected(), Upload(CORRECTED.read_bytes(), CORRECTED.name))

    fates = preview.fates()
    for phrase, thread in threads.items():
        before = (thread.passage_id, thread.chapter_id)
        thread.refresh_from_db()
        assert thread.passage_id is not None, phrase
        if phrase:
            words = PHRASES[phrase]
            assert thread.passage.text[thread.anchor_start : thread.anchor_end] == words
            expected = ANCHORED if words == phrase else DRIFTED
            assert thread.anchor_status == expected, phrase
        fate = fates[str(thread.pk)]
        assert fate["to"]["passage"] == thread.passage.key
        if thread.anchor_status == ANCHORED:
            stayed = (thread.passage_id, thread.chapter_id) == before
            assert fate["fate"] == ("stays" if stayed else "moves"), phrase
    moved = threads["opted out of electoral politics entirely"]
    assert fates[str(moved.pk)]["fate"] == "moves"
    halves = [
        threads["activities to survive in capitalism"],
        threads["people in more imperiled communities"],
    ]
    assert sorted(fates[str(t.pk)]["fate"] for t in halves) == ["moves", "stays"]


def test_the_record_keeps_who_when_which_file_and_the_counts(reading, threads, staff):
    data = CORRECTED.read_bytes()

    record, _ = replace_text(reading, corrected(), Upload(data, CORRECTED.name), user=staff)

    record.refresh_from_db()
    assert (record.replaced_by, record.filename, record.size) == (staff, CORRECTED.name, len(data))
    assert len(record.sha256) == 64
    assert (record.old_version, record.new_version) == (1, 2)
    assert record.passages_changed >= 4 and record.passages_added == 1
    assert record.threads_stay + record.threads_moved + record.threads_drifted == len(threads)
    assert record.threads_drifted == 2 and record.threads_orphaned == 0
    assert record.state == ReplacementState.DONE and record.upload is None


def test_a_thread_written_after_the_preview_is_named_as_a_difference(reading, threads, organizer):
    preview = preview_replacement(reading, corrected())
    passage = Passage.objects.get(reading=reading, text__contains="seems hardly applicable")
    late = _thread(threads[""].circle, organizer, passage, "North America")

    record, _ = replace_text(
        reading,
        corrected(),
        Upload(CORRECTED.read_bytes(), CORRECTED.name),
        expected=preview.fates(),
    )

    assert [d["thread"] for d in record.differences] == [late.pk]
    assert record.differences[0]["expected"] is None
    assert record.differences[0]["actual"]["fate"] == "stays"


def test_a_large_reading_is_replaced_by_a_task_that_says_how_far_it_got(reading, threads):
    preview = preview_replacement(reading, corrected())
    record = queue_replacement(
        reading, Upload(CORRECTED.read_bytes(), CORRECTED.name), expected=preview.fates()
    )
    assert (record.state, record.progress) == (ReplacementState.QUEUED, 0)

    assert run_replacement(record.pk) == ReplacementState.DONE

    record.refresh_from_db()
    reading.refresh_from_db()
    assert (record.state, record.progress, record.upload) == (ReplacementState.DONE, 100, None)
    assert record.differences == [] and reading.text_version == 2


def test_the_command_prints_the_same_report_as_json_and_saves_only_without_dry_run(
    reading, threads, capsys
):
    preview = preview_replacement(reading, corrected())

    call_command("import_reading", str(CORRECTED), "--into", "toward", "--dry-run", "--json")
    dry = json.loads(capsys.readouterr().out)
    reading.refresh_from_db()
    assert reading.text_version == 1
    call_command("import_reading", str(CORRECTED), "--into", "toward", "--json")
    saved = json.loads(capsys.readouterr().out)

    assert dry == saved == json.loads(json.dumps(preview.as_dict()))
    assert saved["title"] == "Toward Building Tomorrow: Expertise and Dual Power"
    assert [c["title"] for c in saved["chapters"]][0] == "Building institutions of the class"
    assert saved["changes"]["passages"]["added"] == 1
    assert set(saved["threads"]) == {"stays", "moves", "drifted", "orphaned", "details"}
    assert len(saved["threads"]["details"]) == len(threads)
    reading.refresh_from_db()
    assert reading.text_version == 2
    assert TextReplacement.objects.get().filename == CORRECTED.name


def test_the_preview_names_sessions_whose_chapter_is_removed(reading, organizer, threads):
    circle = threads[""].circle
    chapters = list(reading.chapters.order_by("number"))
    session = make_meeting(circle, reading, first=2, last=3)
    parsed = corrected()
    del parsed.chapters[2]  # the third section removed

    preview = preview_replacement(reading, parsed)

    [named] = preview.sessions
    assert named["session"] == session.pk
    assert (named["before"], named["after"]) == ("Chapters 2–3", "Chapter 2")
    assert f"“{chapters[2].title}” is removed" in named["why"]
    session.refresh_from_db()
    assert session.last_chapter_id == chapters[2].pk  # the preview changed nothing
