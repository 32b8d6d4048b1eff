from __future__ import annotations

import pytest
from django.urls import reverse

from circles.models import Role
from readings.importers import parse_reading
from readings.models import Chapter, Passage
from readings.services import save_parsed_reading
from readings.signals import passages_changed
from tests.factories import make_circle

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    passages_changed.connect(receiver)
    yield calls
    passages_changed.disconnect(receiver)


def edit(client, passage: Passage, text: str, kind: str | None = None):
    return client.post(
        reverse("admin:readings_passage_change", args=[passage.pk]),
        {"kind": kind or passage.kind, "text": text},
    )


def test_editing_the_text_rerenders_it_and_bumps_the_version(client, staff, reading, received):
    passage = Passage.objects.filter(reading=reading, kind="paragraph").first()
    client.force_login(staff)

    response = edit(client, passage, "Fish & <chips> for four")

    assert response.status_code == 302
    passage.refresh_from_db()
    assert passage.text == "Fish & <chips> for four"
    assert passage.html == "Fish &amp; &lt;chips&gt; for four"
    assert passage.word_count == 5
    reading.refresh_from_db()
    assert reading.text_version == 2
    assert passage.chapter.word_count == 1 + 5 + 10 + 10  # heading, edited, two paragraphs
    [call] = received
    assert (call["old_version"], call["new_version"]) == (1, 2)
    [change] = call["changes"]
    assert (change.key, change.new_text) == (passage.key, "Fish & <chips> for four")
    assert change.old_text.startswith("Paragraph 0")


def test_saving_without_changes_changes_nothing(client, staff, reading, received):
    passage = Passage.objects.filter(reading=reading, kind="paragraph").first()
    client.force_login(staff)

    response = edit(client, passage, passage.text)

    assert response.status_code == 302
    reading.refresh_from_db()
    assert reading.text_version == 1
    assert received == []


def test_changing_the_kind_bumps_the_version_without_a_text_change(
    client, staff, reading, received
):
    passage = Passage.objects.filter(reading=reading, kind="paragraph").first()
    client.force_login(staff)

    edit(client, passage, passage.text, kind="quote")

    passage.refresh_from_db()
    reading.refresh_from_db()
    assert passage.kind == "quote"
    assert reading.text_version == 2
    assert received == []  # no text changed: comment anchors have nothing to follow


def test_the_circle_reader_shows_a_kind_changed_in_the_admin(client, staff, member, reading):
    circle = make_circle(readings=[reading])
    circle.add_member(member, Role.MEMBER)
    passage = Passage.objects.filter(reading=reading, kind="paragraph").first()
    url = reverse(
        "discussions:circle-chapter", args=[circle.slug, reading.slug, passage.chapter.number]
    )
    client.force_login(member)
    before = client.get(url).text  # the chapter's body is now in the fragment cache
    assert f'<div class="passage passage--paragraph" id="p-{passage.key}">' in before

    client.force_login(staff)
    edit(client, passage, passage.text, kind="quote")
    client.force_login(member)
    after = client.get(url).text

    assert f'<blockquote class="passage passage--quote" id="p-{passage.key}">' in after


def test_chapter_titles_are_editable_in_the_reading_admin(client, staff, reading):
    client.force_login(staff)
    chapters = list(Chapter.objects.of(reading))
    data = {
        "title": reading.title,
        "slug": reading.slug,
        "author": reading.author,
        "source_note": "",
        "licence": "",
        "language": "en",
        "chapters-TOTAL_FORMS": len(chapters),
        "chapters-INITIAL_FORMS": len(chapters),
        "chapters-MIN_NUM_FORMS": 0,
        "chapters-MAX_NUM_FORMS": 1000,
    }
    for i, chapter in enumerate(chapters):
        data[f"chapters-{i}-id"] = chapter.pk
        data[f"chapters-{i}-reading"] = reading.pk
        data[f"chapters-{i}-title"] = f"Part {chapter.number}"
        data[f"chapters-{i}-kind"] = "front" if chapter.number == 1 else "main"
    version = reading.text_version

    response = client.post(reverse("admin:readings_reading_change", args=[reading.pk]), data)

    assert response.status_code == 302
    assert [(c.title, c.kind) for c in Chapter.objects.of(reading)] == [
        ("Part 1", "front"),
        ("Part 2", "main"),
        ("Part 3", "main"),
    ]
    reading.refresh_from_db()
    assert reading.text_version > version  # cached chapter pages are rebuilt


def test_the_admin_lists_load(client, staff, reading):
    client.force_login(staff)
    passage = Passage.objects.filter(reading=reading).first()

    for url in [
        reverse("admin:readings_reading_changelist"),
        reverse("admin:readings_reading_change", args=[reading.pk]),
        reverse("admin:readings_chapter_changelist"),
        reverse("admin:readings_chapter_change", args=[passage.chapter_id]),
        reverse("admin:readings_passage_changelist") + "?q=Middle",
        reverse("admin:readings_passage_change", args=[passage.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_a_typo_fix_keeps_the_note_reference_and_the_emphasis(client, staff):
    source = (
        "Essay\n\nMarx said it _himself_ in the perface.1 Then he went on.\n\n\n\n"
        "1. Capital, volume one.\n"
    )
    reading = save_parsed_reading(parse_reading(source.encode(), "essay.txt"))
    passage = Passage.objects.get(reading=reading, text__contains="perface")
    note = Passage.objects.get(reading=reading, kind="note")
    assert "<em>himself</em>" in passage.html and 'id="noteref-1"' in passage.html
    client.force_login(staff)

    response = edit(client, passage, passage.text.replace("perface", "preface"))

    assert response.status_code == 302
    passage.refresh_from_db()
    assert passage.text == "Marx said it himself in the preface.1 Then he went on."
    assert passage.html == (
        'Marx said it <em>himself</em> in the preface.<sup><a class="noteref" '
        'id="noteref-1" href="../2/#note-1" role="doc-noteref">1</a></sup> Then he went on.'
    )
    assert 'href="../1/#noteref-1"' in note.html  # the back-link still has somewhere to go


def test_a_chapter_made_front_matter_in_the_admin_keeps_it_and_grows_the_version(
    client, staff, reading
):
    client.force_login(staff)
    chapter = Chapter.objects.get(reading=reading, number=1)
    inline = {"passages-TOTAL_FORMS": "0", "passages-INITIAL_FORMS": "0"}
    url = reverse("admin:readings_chapter_change", args=[chapter.pk])
    version = reading.text_version

    assert client.post(url, {"title": "Preface", "kind": "front", **inline}).status_code == 302
    assert client.post(url, {"title": "Foreword", **inline}).status_code == 302  # no kind sent

    chapter.refresh_from_db()
    reading.refresh_from_db()
    assert (chapter.title, chapter.kind) == ("Foreword", "front")
    assert reading.text_version == version + 2
