from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from readings.models import Reading
from tests.readings.conftest import GUTENBERG_FILE, SAMPLE_FILE

pytestmark = pytest.mark.django_db

URL = reverse("admin:readings_reading_import")


def upload(client, content: bytes = SAMPLE_FILE):
    return client.post(URL, {"file": SimpleUploadedFile("sample.txt", content)})


def test_the_changelist_links_to_the_import_page(client, staff):
    client.force_login(staff)

    response = client.get(reverse("admin:readings_reading_changelist"))

    assert URL in response.text
    assert client.get(reverse("admin:readings_reading_add")).url == URL


def test_readers_who_are_not_staff_cannot_import(client, member):
    client.force_login(member)

    assert client.get(URL).status_code == 302  # to the admin login


def test_the_preview_shows_the_chapters(client, staff, fake_importer):
    client.force_login(staff)

    response = upload(client)

    assert response.status_code == 200
    assert "2 chapters found in the file" in response.text
    assert "Opening" in response.text and "Second Part" in response.text
    assert not Reading.objects.exists()


def test_confirming_saves_and_opens_the_reading(client, staff, fake_importer):
    client.force_login(staff)
    token = upload(client).context["step"].confirm_form.initial["token"]

    response = client.post(URL, {"token": token, "title": "The Sample Text", "author": ""})

    reading = Reading.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:readings_reading_change", args=[reading.pk])
    assert reading.chapters.count() == 2


def test_a_bad_file_shows_the_message(client, staff, fake_importer):
    client.force_login(staff)

    response = upload(client, content=b"   \n")

    assert response.status_code == 200
    assert "The file is empty." in response.text
    assert not Reading.objects.exists()


def test_the_preview_offers_the_source_and_licence_found_in_the_file(client, staff):
    client.force_login(staff)

    response = upload(client, GUTENBERG_FILE)

    form = response.context["step"].confirm_form
    assert form.initial["source_note"] == "Project Gutenberg eBook #4242"
    assert form.initial["licence"] == "Public domain in the USA"
    assert 'name="licence" value="Public domain in the USA"' in response.text
    assert 'name="source_note" value="Project Gutenberg eBook #4242"' in response.text


def test_the_source_and_licence_can_be_corrected_before_saving(client, staff):
    client.force_login(staff)
    token = upload(client, GUTENBERG_FILE).context["step"].confirm_form.initial["token"]

    client.post(
        URL,
        {
            "token": token,
            "title": "A Small Tale",
            "author": "Ann Author",
            "source_note": "Project Gutenberg eBook #4242, 2005 edition",
            "licence": "Public domain",
        },
    )

    reading = Reading.objects.get()
    assert reading.source_note == "Project Gutenberg eBook #4242, 2005 edition"
    assert reading.licence == "Public domain"
