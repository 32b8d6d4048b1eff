"""The Library's "Add a reading" and the admin import take the new formats, mark front and
back matter in the preview, and ask for a title the file does not name."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from readings.models import Chapter, Reading
from tests.readings.importers.pdfwriter import book_pdf
from tests.readings.importers.support import FIXTURES

pytestmark = pytest.mark.django_db

LIBRARY = reverse("readings:reading-create")
ADMIN = reverse("admin:readings_reading_import")


def post_file(client, url: str, name: str, content: bytes):
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_a_file_naming_no_title_gets_a_preview_asking_for_one(client, staff):
    client.force_login(staff)
    content = (
        b"### Preface\n\nWhy this book.\n\n## Chapter 1\n\nIt begins.\n\n## Chapter 2\n\nEnds.\n"
    )

    response = post_file(client, LIBRARY, "kropotkin_conquest_of_bread.md", content)

    assert "The file does not say what its title is" in response.text
    assert "“kropotkin conquest of bread”" in response.text
    form = response.context["step"].confirm_form
    assert form.initial["title"] == ""
    refused = client.post(LIBRARY, {"token": form.initial["token"], "title": ""})
    assert "This field is required." in refused.text
    assert not Reading.objects.exists()
    client.post(LIBRARY, {"token": form.initial["token"], "title": "The Conquest of Bread"})
    assert Reading.objects.get().title == "The Conquest of Bread"


def test_a_file_with_a_title_is_not_asked_about(client, staff):
    client.force_login(staff)
    response = post_file(client, LIBRARY, "book.md", b"# A Title\n\n## One\n\nA.\n\n## Two\n\nB.\n")
    assert "does not say what its title is" not in response.text
    assert response.context["step"].confirm_form.initial["title"] == "A Title"


def test_the_preview_marks_front_and_back_matter(client, staff):
    client.force_login(staff)
    page = (
        "<html><body><h2>Preface</h2><p>Why.</p><h2>Chapter I</h2><p>One.</p>"
        "<h2>Chapter II</h2><p>Two.</p><h2>Index</h2><p>Things, 1.</p></body></html>"
    )
    response = post_file(client, LIBRARY, "book.html", page.encode())
    assert 'Preface <span class="muted">(front matter)</span>' in response.text
    assert 'Index <span class="muted">(back matter)</span>' in response.text


def test_the_admin_imports_a_pdf_with_its_chapters(client, staff):
    client.force_login(staff)

    preview = post_file(client, ADMIN, "winter.pdf", book_pdf())

    assert "2 chapters found in the file" in preview.text
    token = preview.context["step"].confirm_form.initial["token"]
    client.post(ADMIN, {"token": token, "title": "The Winter Harbour", "author": "Ann Author"})
    reading = Reading.objects.get()
    assert reading.source_format == "pdf"
    assert list(Chapter.objects.of(reading).values_list("title", flat=True)) == [
        "Chapter I: The Lantern",
        "Chapter II: The Storm",
    ]


def test_the_library_imports_a_saved_article(client, staff):
    client.force_login(staff)
    preview = post_file(
        client, LIBRARY, "post.html", (FIXTURES / "saved_article.html").read_bytes()
    )
    form = preview.context["step"].confirm_form
    assert form.initial["author"] == "Ruth Calder"
    assert form.initial["source_note"] == "The Lamplighter's Blog, 2024-02-11"
    client.post(LIBRARY, {**form.initial})
    assert Reading.objects.get().source_format == "article"
