"""Creating, showing, editing, cancelling sessions; RSVPs (with and without htmx); notes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from circles.models import Meeting, Role
from tests.factories import make_circle, make_meeting, make_reading, make_user


@pytest.fixture
def circle(circle, moderator):
    """The shared circle, in Paris, with a moderator too."""
    circle.time_zone = "Europe/Paris"
    circle.save(update_fields=["time_zone"])
    circle.add_member(moderator, Role.MODERATOR)
    return circle


def chapter(circle, number: int) -> int:
    """The pk a chapter list sends for chapter `number` of the circle's reading."""
    return circle.readings.get().chapters.get(number=number).pk


def form_data(circle, **overrides) -> dict:
    data = {
        "title": "  Opening   night ",
        "reading": circle.readings.get().pk,
        "first_chapter": chapter(circle, 1),
        "last_chapter": chapter(circle, 2),
        "date": "2031-03-04",
        "time": "19:30",
        "duration_minutes": 90,
        "place": "The library",
        "video_url": "",
        "agenda": "Bring **questions**",
    }
    return data | overrides


def test_an_organizer_schedules_a_session_in_the_circles_time_zone(client, circle, organizer):
    client.force_login(organizer)
    response = client.post(reverse("circles:meeting-create", args=[circle.slug]), form_data(circle))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.title == "Opening night"
    assert meeting.starts_at == datetime(2031, 3, 4, 18, 30, tzinfo=UTC)  # 19:30 in Paris, winter
    assert (meeting.first_chapter.number, meeting.last_chapter.number) == (1, 2)
    assert meeting.agenda_html == "<p>Bring <strong>questions</strong></p>"
    assert meeting.created_by == organizer


def test_chapters_outside_the_list_or_out_of_order_are_refused(client, circle, organizer):
    client.force_login(organizer)
    url = reverse("circles:meeting-create", args=[circle.slug])
    stranger = make_reading("Not ours", chapters=2).chapters.get(number=1).pk
    response = client.post(url, form_data(circle, last_chapter=stranger))
    assert response.status_code == 422
    assert "Choose one of the chapters in the list." in response.content.decode()
    response = client.post(
        url, form_data(circle, first_chapter=chapter(circle, 3), last_chapter=chapter(circle, 2))
    )
    assert (
        "The last chapter (Chapter 2) comes before the first one (Chapter 3)."
        in response.content.decode()
    )
    assert not Meeting.objects.exists()


def test_only_the_circles_readings_can_be_chosen(client, circle, organizer):
    client.force_login(organizer)
    other = make_reading("Not ours", chapters=2)
    url = reverse("circles:meeting-create", args=[circle.slug])
    response = client.post(url, form_data(circle, reading=other.pk))
    assert response.status_code == 422
    assert not Meeting.objects.exists()


def test_editing_keeps_the_uid_and_raises_the_sequence(client, circle, organizer):
    meeting = make_meeting(circle)
    uid, sequence = meeting.uid, meeting.sequence
    client.force_login(organizer)
    url = reverse("circles:meeting-edit", args=[circle.slug, meeting.pk])
    form = client.get(url).content.decode()
    assert 'value="Chapters 1–1"' in form
    response = client.post(url, form_data(circle, title="Moved", time="20:00"))
    meeting.refresh_from_db()
    assert response.status_code == 302
    assert meeting.uid == uid
    assert meeting.sequence == sequence + 1
    assert meeting.title == "Moved"
    assert meeting.starts_at == datetime(2031, 3, 4, 19, 0, tzinfo=UTC)


def test_cancelling_asks_first_then_keeps_the_session_marked_cancelled(client, circle, organizer):
    meeting = make_meeting(circle)
    client.force_login(organizer)
    url = reverse("circles:meeting-cancel", args=[circle.slug, meeting.pk])
    page = client.get(url).content.decode()
    assert "Cancel this session?" in page
    meeting.refresh_from_db()
    assert not meeting.is_cancelled
    client.post(url)
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert meeting.sequence == 1
    assert "This session is cancelled." in client.get(meeting.get_absolute_url()).content.decode()


def test_a_cancelled_session_accepts_no_rsvps(client, circle, member):
    meeting = make_meeting(circle)
    meeting.cancel()
    client.force_login(member)
    client.post(
        reverse("circles:meeting-rsvp", args=[circle.slug, meeting.pk]), {"answer": "going"}
    )
    assert not meeting.rsvps.exists()


def test_rsvp_without_javascript_redirects_back_to_the_block(client, circle, member):
    meeting = make_meeting(circle)
    client.force_login(member)
    url = reverse("circles:meeting-rsvp", args=[circle.slug, meeting.pk])
    response = client.post(url, {"answer": "maybe"})
    assert response["Location"] == meeting.get_absolute_url() + "#rsvp"
    client.post(url, {"answer": "going"})
    assert list(meeting.rsvps.values_list("answer", flat=True)) == ["going"]


def test_htmx_gets_only_the_rsvp_fragment(client, circle, member):
    meeting = make_meeting(circle)
    client.force_login(member)
    url = reverse("circles:meeting-rsvp", args=[circle.slug, meeting.pk])
    response = client.post(url, {"answer": "going"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<section id="rsvp"')
    assert "<html" not in html
    assert "Your answer: Going." in html
    assert 'value="going" id="rsvp-answer-going"\n' in html or 'aria-pressed="true">Going' in html


def test_a_bad_rsvp_answer_is_named_on_the_page(client, circle, member):
    meeting = make_meeting(circle)
    meeting.answer_rsvp(member, "maybe")
    client.force_login(member)
    url = reverse("circles:meeting-rsvp", args=[circle.slug, meeting.pk])
    response = client.post(url, {"answer": "bogus"}, follow=True)
    assert response.redirect_chain == [(meeting.get_absolute_url() + "#rsvp", 302)]
    assert "Choose going, maybe or can’t go." in response.text
    assert list(meeting.rsvps.values_list("answer", flat=True)) == ["maybe"]


def test_a_bad_rsvp_answer_over_htmx_is_a_422_fragment_saying_so(client, circle, member):
    meeting = make_meeting(circle)
    client.force_login(member)
    url = reverse("circles:meeting-rsvp", args=[circle.slug, meeting.pk])
    response = client.post(url, {"answer": "bogus"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 422
    assert html.strip().startswith('<section id="rsvp"')
    assert "<html" not in html
    assert (
        '<p class="message message--error" role="alert">Choose going, maybe or can’t go.</p>'
        in (html)
    )
    assert "You haven’t answered yet." in html
    assert not meeting.rsvps.exists()
    # The next good answer clears the message.
    response = client.post(url, {"answer": "going"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Choose going" not in response.content.decode()


def test_members_see_names_and_others_only_counts(client, circle, member, outsider):
    meeting = make_meeting(circle)
    meeting.answer_rsvp(member, "going")
    client.force_login(member)
    assert "Mina" in client.get(meeting.get_absolute_url()).content.decode()
    client.force_login(outsider)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Mina" not in page
    assert '<span class="rsvp__count">1</span> Going' in page


def test_the_session_page_lists_the_chapters_to_read_with_links(client, circle, member):
    meeting = make_meeting(circle, first=2, last=3)
    client.force_login(member)
    page = client.get(meeting.get_absolute_url()).content.decode()
    for chapter in meeting.chapters():
        # Chapters open in the circle's reader, with its margins.
        url = reverse(
            "discussions:circle-chapter", args=[circle.slug, chapter.reading.slug, chapter.number]
        )
        assert f'href="{url}"' in page
    assert "Chapters 2–3" in page


def test_the_session_page_queries_do_not_grow_with_rsvps(
    client, circle, member, django_assert_max_num_queries
):
    meeting = make_meeting(circle, first=1, last=4)
    for n in range(15):
        person = make_user(f"reader{n}@example.org")
        circle.add_member(person)
        meeting.answer_rsvp(person, ["going", "maybe", "no"][n % 3])
    client.force_login(member)
    with django_assert_max_num_queries(11):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200


def test_organizers_write_notes_after_the_meeting(client, circle, organizer, member):
    meeting = make_meeting(circle)
    client.force_login(organizer)
    url = reverse("circles:meeting-notes", args=[circle.slug, meeting.pk])
    client.post(url, {"notes": "We talked about *beans*."})
    meeting.refresh_from_db()
    assert meeting.notes_html == "<p>We talked about <em>beans</em>.</p>"
    client.force_login(member)
    assert "<em>beans</em>" in client.get(meeting.get_absolute_url()).content.decode()


def test_next_for_lists_my_coming_sessions_in_my_circles_only(circle, member, outsider):
    mine = make_meeting(circle)
    past = make_meeting(circle, starts_at=datetime(2001, 1, 1, tzinfo=UTC))
    cancelled = make_meeting(circle)
    cancelled.cancel()
    elsewhere = make_meeting(make_circle(name="Elsewhere"))
    upcoming = list(Meeting.objects.next_for(member))
    assert upcoming == [mine]
    assert past not in upcoming and elsewhere not in upcoming
    assert list(Meeting.objects.next_for(outsider)) == []
