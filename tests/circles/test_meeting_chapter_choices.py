"""The new- and edit-session forms pick chapters from lists that name them ("3 · Title"),
grouped by reading, and work without JavaScript: a chapter of another reading is refused
with a message that says which chapter and which reading."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from circles.models import Meeting
from tests.factories import make_circle, make_meeting, make_reading


@pytest.fixture
def circle(organizer):
    walden = make_reading("Walden", chapters=4)
    essays = make_reading("Essays", chapters=2)
    return make_circle(organizer, readings=[walden, essays], time_zone="Europe/Paris")


def chapter(circle, title: str, number: int):
    return circle.readings.get(title=title).chapters.get(number=number)


def select(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', html, re.S)[0]


def form_data(circle, reading: str, first, last) -> dict:
    return {
        "title": "Opening night",
        "reading": circle.readings.get(title=reading).pk,
        "first_chapter": first.pk,
        "last_chapter": last.pk,
        "date": "2031-03-04",
        "time": "19:30",
        "duration_minutes": 90,
        "place": "",
        "video_url": "",
        "agenda": "",
    }


def test_the_chapter_lists_name_each_chapter_under_its_reading(client, circle, organizer):
    client.force_login(organizer)
    html = client.get(reverse("circles:meeting-create", args=[circle.slug])).text
    first = select(html, "first_chapter")
    assert '<optgroup label="Essays">' in first and '<optgroup label="Walden">' in first
    assert f'<option value="{chapter(circle, "Walden", 3).pk}">Chapter 3</option>' in first
    assert select(html, "last_chapter").count("<option") == 6


def test_a_chapter_of_another_reading_is_refused_by_name(client, circle, organizer):
    client.force_login(organizer)
    url = reverse("circles:meeting-create", args=[circle.slug])
    # Chapters picked for Walden, then the reading switched to Essays (no script to update).
    data = form_data(circle, "Essays", chapter(circle, "Walden", 3), chapter(circle, "Essays", 2))
    response = client.post(url, data)
    assert response.status_code == 422
    assert "“Chapter 3” is a chapter of “Walden”, not of the reading chosen above." in response.text
    assert not Meeting.objects.exists()
    # The rest of what was typed is still there.
    assert 'value="Opening night"' in response.text


def test_chapters_of_the_chosen_reading_are_saved(client, circle, organizer):
    client.force_login(organizer)
    url = reverse("circles:meeting-create", args=[circle.slug])
    first, last = chapter(circle, "Essays", 1), chapter(circle, "Essays", 2)
    assert client.post(url, form_data(circle, "Essays", first, last)).status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.reading.title, meeting.first_chapter, meeting.last_chapter) == (
        "Essays",
        first,
        last,
    )


def test_the_edit_form_shows_the_sessions_chapters_selected(client, circle, organizer):
    walden = circle.readings.get(title="Walden")
    meeting = make_meeting(circle, walden, first=2, last=3)
    client.force_login(organizer)
    html = client.get(reverse("circles:meeting-edit", args=[circle.slug, meeting.pk])).text
    assert f'<option value="{meeting.first_chapter_id}" selected>Chapter 2</option>' in select(
        html, "first_chapter"
    )
    assert f'<option value="{meeting.last_chapter_id}" selected>Chapter 3</option>' in select(
        html, "last_chapter"
    )


def test_a_new_session_starts_after_the_chapters_already_scheduled(client, circle, organizer):
    walden = circle.readings.get(title="Walden")
    make_meeting(circle, walden, first=1, last=2)
    client.force_login(organizer)
    html = client.get(reverse("circles:meeting-create", args=[circle.slug])).text
    third = chapter(circle, "Walden", 3).pk
    assert f'<option value="{third}" selected>Chapter 3</option>' in select(html, "first_chapter")
    assert f'<option value="{walden.pk}" selected>Walden</option>' in html


def test_a_circle_with_one_reading_gets_a_plain_list(client, organizer):
    circle = make_circle(organizer, name="Solo", readings=[make_reading("Walden", chapters=2)])
    client.force_login(organizer)
    html = client.get(reverse("circles:meeting-create", args=[circle.slug])).text
    assert "<optgroup" not in select(html, "first_chapter")
    assert "Chapter 1" in select(html, "first_chapter")
