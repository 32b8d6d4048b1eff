from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from readings.models import Passage, Reading
from tests.readings.conftest import GUTENBERG_FILE, SAMPLE_FILE

pytestmark = pytest.mark.django_db

URL = reverse("readings:reading-create")


def upload(client, content: bytes = SAMPLE_FILE, **fields):
    file = SimpleUploadedFile("sample.txt", content, content_type="text/plain")
    return client.post(URL, {"file": file, **fields})


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_readers_who_are_not_staff_are_refused(client, member):
    client.force_login(member)

    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403


def test_staff_see_the_upload_form(client, staff):
    client.force_login(staff)

    response = client.get(URL)

    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text


def test_the_preview_shows_the_chapters_and_saves_nothing(client, staff, fake_importer):
    client.force_login(staff)

    response = upload(client)

    assert response.status_code == 200
    assert "2 chapters found in the file" in response.text
    assert "Opening" in response.text and "Second Part" in response.text
    assert 'value="The Sample Text"' in response.text
    assert not Reading.objects.exists()


def test_confirming_saves_the_reading_with_the_chosen_title(client, staff, fake_importer):
    client.force_login(staff)
    preview = upload(client, author="Someone")
    token = preview.context["step"].confirm_form.initial["token"]

    response = client.post(URL, {"token": token, "title": "My Title", "author": "Someone"})

    reading = Reading.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reading.get_absolute_url()
    assert (reading.title, reading.author, reading.created_by) == ("My Title", "Someone", staff)
    assert Passage.objects.filter(reading=reading).count() == 4


def test_confirming_twice_saves_once(client, staff, fake_importer):
    client.force_login(staff)
    token = upload(client).context["step"].confirm_form.initial["token"]
    client.post(URL, {"token": token, "title": "T"})

    response = client.post(URL, {"token": token, "title": "T"})

    assert Reading.objects.count() == 1
    assert "expired or was already saved" in response.text


def test_a_bad_file_shows_the_importers_message(client, staff, fake_importer):
    client.force_login(staff)

    response = upload(client, content=b"\xff\xfe\x00binary")

    assert response.status_code == 200
    assert "The file is not UTF-8 text." in response.text
    assert not Reading.objects.exists()


def test_a_file_over_the_limit_is_refused(client, staff, fake_importer, settings):
    settings.READING_UPLOAD_MAX_BYTES = 10
    client.force_login(staff)

    response = upload(client)

    assert f"The file is too large ({len(SAMPLE_FILE)} bytes); the limit is 10 bytes." in (
        response.text
    )
    assert not Reading.objects.exists()


def test_staff_confirm_the_source_and_licence_found_in_the_file(client, staff):
    client.force_login(staff)
    preview = upload(client, GUTENBERG_FILE)
    assert 'name="licence" value="Public domain in the USA"' in preview.text
    initial = preview.context["step"].confirm_form.initial

    client.post(URL, {**initial, "licence": initial["licence"], "source_note": ""})

    reading = Reading.objects.get()
    assert (reading.source_note, reading.licence) == ("", "Public domain in the USA")
    page = client.get(reading.get_absolute_url()).text
    assert "Public domain in the USA" in page


def test_a_file_over_the_limit_gets_the_same_message_as_the_command(client, staff, settings):
    settings.READING_UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(staff)

    response = upload(client, b"Title\n\n" + b"word " * 400_000)

    assert response.status_code == 200
    assert "The file is too large (1.9 MB); the limit is 1 MB." in response.text
    assert not Reading.objects.exists()


def test_the_session_keeps_a_token_not_the_file(client, staff, fake_importer):
    """Every request of the person loads their session: the file waits in its own table."""
    from django.contrib.sessions.models import Session

    from readings.models import PendingUpload

    client.force_login(staff)
    big = SAMPLE_FILE + b"\n" + b"More words in the margin. " * 20_000
    token = upload(client, content=big).context["step"].confirm_form.initial["token"]

    session = Session.objects.get(session_key=client.session.session_key)
    assert len(session.session_data) < 1000
    assert bytes(PendingUpload.objects.get(token=token).data) == big
    client.post(URL, {"token": token, "title": "T"})
    assert Reading.objects.count() == 1
    assert not PendingUpload.objects.exists()


def test_a_token_from_another_session_finds_nothing(client, staff, fake_importer):
    from django.test import Client

    client.force_login(staff)
    token = upload(client).context["step"].confirm_form.initial["token"]
    other = Client()
    other.force_login(staff)

    response = other.post(URL, {"token": token, "title": "T"})

    assert "expired or was already saved" in response.text
    assert not Reading.objects.exists()


def test_an_upload_left_waiting_expires(client, staff, fake_importer, settings):
    import time_machine
    from django.utils import timezone

    from readings.models import PendingUpload

    client.force_login(staff)
    token = upload(client).context["step"].confirm_form.initial["token"]
    later = timezone.now() + timezone.timedelta(hours=settings.PENDING_UPLOAD_HOURS, minutes=1)
    with time_machine.travel(later):
        response = client.post(URL, {"token": token, "title": "T"})
        assert "expired or was already saved" in response.text
        upload(client)  # keeping a new upload deletes the expired one
    assert list(PendingUpload.objects.values_list("token", flat=True)) != [token]
    assert PendingUpload.objects.count() == 1
    assert not Reading.objects.exists()


def test_a_session_keeps_at_most_three_uploads(client, staff, fake_importer):
    from readings.models import PendingUpload

    client.force_login(staff)
    tokens = [upload(client).context["step"].confirm_form.initial["token"] for _ in range(4)]

    assert set(PendingUpload.objects.values_list("token", flat=True)) == set(tokens[1:])
    assert "expired or was already saved" in client.post(URL, {"token": tokens[0]}).text
