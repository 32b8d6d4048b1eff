"""The admin's ways to change a reading's text: "Replace the text…" (upload, preview, confirm)
and "Edit this chapter's text". Staff only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from discussions.models import AnchorStatus
from readings.importers.base import ParsedChapter, ParsedPassage, ParsedReading
from readings.models import Passage, ReplacementState, TextReplacement
from readings.services import save_parsed_reading
from readings.uploads import parse_upload
from tests.factories import make_circle, make_user, thread_on

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "readings" / "demo_data"
SEED = DEMO / "003_822ff67cca5cf967.txt"
CORRECTED = DEMO / "003_822ff67cca5cf967_corrected.txt"


@pytest.fixture
def reading(db):
    return save_parsed_reading(parse_upload(SEED.read_bytes(), SEED.name), slug="toward")


@pytest.fixture
def moved_thread(organizer, reading):
    circle = make_circle(organizer, readings=[reading])
    passage = Passage.objects.get(reading=reading, text__contains="standard micro-party model")
    return thread_on(circle, organizer, passage, "opted out of electoral politics entirely")


def upload():
    return SimpleUploadedFile(CORRECTED.name, CORRECTED.read_bytes(), content_type="text/plain")


def replace_url(reading) -> str:
    return reverse("admin:readings_reading_replace", args=[reading.pk])


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("member", 302), ("staff", 200)])
def test_only_staff_reach_the_replace_page(client, reading, staff, who, status):
    if who == "staff":
        client.force_login(staff)
    elif who == "member":
        client.force_login(make_user())

    response = client.get(replace_url(reading))

    assert response.status_code == status
    if status == 302:
        assert "/login/" in response["Location"]


def test_the_reading_page_offers_to_replace_its_text(client, reading, staff):
    client.force_login(staff)

    response = client.get(reverse("admin:readings_reading_change", args=[reading.pk]))

    assert replace_url(reading) in response.content.decode()


def test_the_preview_names_every_threads_fate_then_confirming_saves_it(
    client, reading, staff, moved_thread
):
    client.force_login(staff)

    preview = client.post(replace_url(reading), {"file": upload(), "format": ""})

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Nothing is saved yet" in page
    assert "“opted out of electoral politics entirely”" in page
    assert "1 kept" not in page and "1 added" in page
    reading.refresh_from_db()
    assert reading.text_version == 1
    token = preview.context["step"].confirm_form.initial["token"]

    done = client.post(replace_url(reading), {"token": token})

    record = TextReplacement.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:readings_textreplacement_change", args=[record.pk])
    assert (record.replaced_by, record.state, record.differences) == (
        staff,
        ReplacementState.DONE,
        [],
    )
    moved_thread.refresh_from_db()
    assert moved_thread.anchor_status == AnchorStatus.ANCHORED
    assert moved_thread.passage.text.startswith("In an age where lots of the working class")
    shown = client.get(done["Location"]).content.decode()
    assert CORRECTED.name in shown and "“opted out of electoral politics entirely”" in shown


def test_a_thread_written_after_the_preview_asks_to_confirm_again(
    client, reading, staff, moved_thread, organizer
):
    client.force_login(staff)
    preview = client.post(replace_url(reading), {"file": upload(), "format": ""})
    token = preview.context["step"].confirm_form.initial["token"]
    passage = Passage.objects.get(reading=reading, text__contains="seems hardly applicable")
    thread_on(moved_thread.circle, organizer, passage, "North America")

    again = client.post(replace_url(reading), {"token": token})

    assert again.status_code == 200
    assert "Since the preview, 1 thread would fare differently" in again.content.decode()
    assert not TextReplacement.objects.exists()
    confirmed = client.post(replace_url(reading), {"token": token})
    assert confirmed.status_code == 302
    assert TextReplacement.objects.get().differences == []


def test_a_large_reading_is_replaced_in_the_background(
    client, reading, staff, moved_thread, settings, django_capture_on_commit_callbacks
):
    settings.READING_REPLACE_IN_BACKGROUND_PASSAGES = 10
    client.force_login(staff)
    preview = client.post(replace_url(reading), {"file": upload(), "format": ""})
    token = preview.context["step"].confirm_form.initial["token"]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        done = client.post(replace_url(reading), {"token": token})

    record = TextReplacement.objects.get()
    assert record.state == ReplacementState.QUEUED and len(callbacks) == 1
    page = client.get(done["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and "Waiting for a worker" in page
    reading.refresh_from_db()
    assert reading.text_version == 1


def test_a_file_that_is_not_text_is_refused_and_nothing_changes(client, reading, staff):
    client.force_login(staff)
    bad = SimpleUploadedFile("picture.txt", bytes(range(256)) * 20)

    response = client.post(replace_url(reading), {"file": bad, "format": ""})

    assert response.status_code == 200
    assert response.context["step"].upload_form.errors["file"]
    reading.refresh_from_db()
    assert reading.text_version == 1


# Edit this chapter's text ---------------------------------------------------------------------

FIRST = "It was a *bright* cold day. The clocks were striking thirteen."
SECOND = "Winston slipped through the glass doors."


@pytest.fixture
def marked(db):
    first_html = "It was a <em>bright</em> cold day. The clocks were striking thirteen."
    return save_parsed_reading(
        ParsedReading(
            title="Nineteen",
            chapters=[
                ParsedChapter(
                    "One",
                    [
                        ParsedPassage("paragraph", FIRST.replace("*", ""), first_html),
                        ParsedPassage("paragraph", SECOND, SECOND),
                    ],
                )
            ],
            format="text",
        )
    )


def test_a_sentence_moved_to_the_next_paragraph_takes_its_thread_and_markup(
    client, staff, organizer, marked
):
    circle = make_circle(organizer, readings=[marked])
    first = Passage.objects.get(reading=marked, position=1)
    thread = thread_on(circle, organizer, first, "The clocks were striking")
    chapter = first.chapter
    client.force_login(staff)
    url = reverse("admin:readings_chapter_text", args=[chapter.pk])
    assert client.get(url).context["form"].initial["text"] == (
        "It was a bright cold day. The clocks were striking thirteen.\n\n" + SECOND
    )

    response = client.post(
        url, {"text": "It was a bright cold day.\n\nThe clocks were striking thirteen. " + SECOND}
    )

    assert response.status_code == 302
    passages = list(Passage.objects.in_chapter(chapter))
    assert [p.text for p in passages] == [
        "It was a bright cold day.",
        "The clocks were striking thirteen. " + SECOND,
    ]
    assert passages[0].html == "It was a <em>bright</em> cold day."
    thread.refresh_from_db()
    assert (thread.passage_id, thread.anchor_status) == (passages[1].pk, AnchorStatus.ANCHORED)
    assert passages[1].text[thread.anchor_start : thread.anchor_end] == "The clocks were striking"
    marked.refresh_from_db()
    assert marked.text_version == 2


def test_only_staff_edit_a_chapters_text(client, marked):
    chapter = marked.chapters.get()
    client.force_login(make_user())

    response = client.get(reverse("admin:readings_chapter_text", args=[chapter.pk]))

    assert response.status_code == 302 and "/login/" in response["Location"]
