"""The demo's "done when" of issue 12: staff replace the text of the seed 003 reading with the
corrected file shipped in the demo data, see every thread's fate in the preview, confirm, and
every demo thread is where the preview said."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from circles.models import Meeting
from discussions.models import Comment
from readings.models import Passage, Reading, TextReplacement

CORRECTED = (
    Path(__file__).resolve().parents[2]
    / "readings"
    / "demo_data"
    / "003_822ff67cca5cf967_corrected.txt"
)


def test_staff_replace_the_demo_reading_and_every_thread_is_where_the_preview_said(db, client):
    call_command("demo", "--no-serve")
    reading = Reading.objects.get(slug="toward-building-tomorrow")
    threads = list(Comment.objects.filter(reading=reading, parent__isnull=True))
    sessions = {
        m.pk: (m.first_chapter_id, m.last_chapter_id)
        for m in Meeting.objects.filter(reading=reading)
    }
    assert threads
    client.force_login(User.objects.filter(is_staff=True).first())
    url = reverse("admin:readings_reading_replace", args=[reading.pk])
    upload = SimpleUploadedFile(CORRECTED.name, CORRECTED.read_bytes())

    preview = client.post(url, {"file": upload, "format": ""})

    report = preview.context["step"].report
    fates = report.fates()
    assert set(fates) == {str(t.pk) for t in threads}
    token = preview.context["step"].confirm_form.initial["token"]
    done = client.post(url, {"token": token})
    assert done.status_code == 302
    record = TextReplacement.objects.get(reading=reading)
    assert record.differences == []
    for thread in threads:
        thread.refresh_from_db()
        fate = fates[str(thread.pk)]
        assert fate["fate"] != "orphaned"
        assert fate["to"]["passage"] == Passage.objects.get(pk=thread.passage_id).key
    # The corrected file renames, adds and removes no chapter: every session keeps its range.
    assert {
        m.pk: (m.first_chapter_id, m.last_chapter_id)
        for m in Meeting.objects.filter(reading=reading)
    } == sessions
