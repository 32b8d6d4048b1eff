from __future__ import annotations

import pytest

from readings.models import Chapter, ReadingProgress

pytestmark = pytest.mark.django_db


def test_anyone_sees_the_title_source_and_contents(client, reading):
    reading.source_note = "Viewpoint Magazine, 2012"
    reading.licence = "CC BY-NC"
    reading.save()

    response = client.get(reading.get_absolute_url())

    assert response.status_code == 200
    html = response.text
    assert "<h1>Reading Together</h1>" in html
    assert "by Ann Author" in html
    assert "Viewpoint Magazine, 2012" in html
    assert "CC BY-NC" in html
    for chapter in Chapter.objects.of(reading):
        assert chapter.get_absolute_url() in html
    assert "Middles" in html
    assert "41 words" in html  # the "Middles" chapter: a heading and four 10-word paragraphs
    assert "Start reading" in html
    assert "Continue reading" not in html


def test_a_missing_reading_is_404(client, db):
    assert client.get("/library/no-such-reading/").status_code == 404


def test_a_reader_who_has_started_can_continue(client, member, reading):
    chapter = Chapter.objects.get(reading=reading, number=2)
    passage = chapter.passages.order_by("position")[2]
    ReadingProgress.advance(member, chapter, passage)
    client.force_login(member)

    response = client.get(reading.get_absolute_url())

    assert "Continue reading" in response.text
    assert f'{chapter.get_absolute_url()}#p-{passage.key}"' in response.text
    assert "Where you left off" in response.text
