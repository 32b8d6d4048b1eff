"""Organizers add readings to their circle: from the library, or a new upload with a preview."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from readings.models import Reading
from tests.factories import make_circle, make_reading
from tests.readings.conftest import SAMPLE_FILE, fake_parse_reading


@pytest.fixture
def circle(organizer):
    return make_circle(organizer, name="Adders")


@pytest.fixture
def url(circle):
    return reverse("circles:circle-reading-add", args=[circle.slug])


@pytest.fixture
def fake_importer(monkeypatch):
    monkeypatch.setattr("readings.uploads.parse_reading", fake_parse_reading)


def test_organizers_add_a_reading_from_the_library(client, circle, organizer, url):
    reading = make_reading("Library Book")
    client.force_login(organizer)

    response = client.post(url, {"reading": reading.pk}, follow=True)

    assert list(circle.readings.all()) == [reading]
    assert "“Library Book” is now one of the circle’s readings." in response.text


def test_choosing_nothing_or_a_reading_already_read_is_refused(client, circle, organizer, url):
    reading = make_reading("Already Here")
    circle.readings.add(reading)
    client.force_login(organizer)

    empty = client.post(url, {"reading": ""})
    again = client.post(url, {"reading": reading.pk})

    assert "Choose a reading to add." in empty.text
    assert "the circle has it already" in again.text


def test_an_upload_is_previewed_then_added_to_the_library_and_the_circle(
    client, circle, organizer, url, fake_importer
):
    client.force_login(organizer)
    file = SimpleUploadedFile("sample.txt", SAMPLE_FILE, content_type="text/plain")

    preview = client.post(url, {"file": file})

    assert "2 chapters found in the file" in preview.text
    assert not Reading.objects.exists()
    token = preview.context["step"].confirm_form.initial["token"]

    response = client.post(url, {"token": token, "title": "Our Text", "author": ""}, follow=True)

    reading = Reading.objects.get()
    assert reading.title == "Our Text"
    assert list(circle.readings.all()) == [reading]
    assert "is in the library and one of the circle’s readings" in response.text


def test_a_bad_upload_names_the_problem_and_saves_nothing(
    client, circle, organizer, url, fake_importer
):
    client.force_login(organizer)
    file = SimpleUploadedFile("empty.txt", b"   ", content_type="text/plain")

    response = client.post(url, {"file": file})

    assert "The file is empty." in response.text
    assert not Reading.objects.exists()
