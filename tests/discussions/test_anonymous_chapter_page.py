"""An anonymous visitor's chapter page is served from a cache of the whole page, and is
never stale: what anyone writes, renames or re-imports shows at once, and every response
carries its own CSP nonce and CSRF token."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from readings.models import Chapter
from readings.services import edit_passage
from tests.factories import make_margin

pytestmark = pytest.mark.django_db


def nonces(response) -> tuple[str, set[str]]:
    policy = response["Content-Security-Policy"]
    header = re.search(r"'nonce-([^']+)'", policy).group(1)
    return header, set(re.findall(r'nonce="([^"]+)"', response.content.decode()))


def csrf_in_page(response) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', response.content.decode()).group(1)


def test_a_warm_page_costs_one_query(client, margin, member, django_assert_num_queries):
    margin.comment(member, "On the first words", start=0, end=5)
    client.get(margin.chapter_url())
    with django_assert_num_queries(1):  # the circle's chapter with its versions and names
        response = client.get(margin.chapter_url())
    assert response.status_code == 200
    assert response.content.count(b"<mark") == 1


def test_every_response_has_its_own_nonce_and_csrf_token(margin):
    first, second = Client().get(margin.chapter_url()), Client().get(margin.chapter_url())
    for response in (first, second):
        header, in_page = nonces(response)
        assert in_page == {header}
        assert csrf_in_page(response)
    assert nonces(first)[0] != nonces(second)[0]
    assert "slot" not in first.content.decode() + second.content.decode()


def test_the_token_in_a_cached_page_passes_the_csrf_check(margin):
    client = Client(enforce_csrf_checks=True)
    client.get(margin.chapter_url())
    page = client.get(margin.chapter_url())
    response = client.post(
        reverse("account_login"),
        {"login": "nobody@example.org", "password": "wrong"},
        headers={"X-CSRFToken": csrf_in_page(page)},
    )
    assert response.status_code == 200  # the form's own error, not a CSRF failure (403)
    assert b"CSRF verification failed" not in response.content


def test_a_new_comment_shows_at_once(client, margin, member):
    client.get(margin.chapter_url())
    margin.comment(member, "Fresh words", start=0, end=5)
    response = client.get(margin.chapter_url())
    assert response.content.count(b"<mark") == 1
    assert b"1 thread" in response.content


def test_renaming_the_next_chapter_shows_on_this_one(client, margin, staff):
    assert client.get(margin.chapter_url()).status_code == 200
    chapter = Chapter.objects.get(reading=margin.reading, number=2)
    admin = Client()
    admin.force_login(staff)
    # The chapter's passages are listed read-only below it: an empty formset.
    inline = {"passages-TOTAL_FORMS": "0", "passages-INITIAL_FORMS": "0"}
    response = admin.post(
        reverse("admin:readings_chapter_change", args=[chapter.pk]),
        {"title": "A New Name", **inline},
    )
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.title == "A New Name"
    assert "A New Name" in client.get(margin.chapter_url()).content.decode()


def test_an_edited_passage_shows_at_once(client, margin):
    client.get(margin.chapter_url())
    edit_passage(margin.passage, text="Entirely rewritten words.")
    assert b"Entirely rewritten words." in client.get(margin.chapter_url()).content


def test_renaming_the_circle_shows_at_once(client, margin):
    client.get(margin.chapter_url())
    margin.circle.name = "Renamed Readers"
    margin.circle.save()
    assert b"Renamed Readers" in client.get(margin.chapter_url()).content


def test_signed_in_people_never_get_the_anonymous_page(client, margin, member, outsider):
    Client().get(margin.chapter_url())  # the anonymous page is cached
    for person in (member, outsider):
        client.force_login(person)
        page = client.get(margin.chapter_url()).content.decode()
        assert person.display_name in page
        assert "Log in</a> to write in the margins" not in page


def test_a_private_circle_stays_hidden(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member, private=True)
    insider = Client()
    insider.force_login(member)
    assert insider.get(margin.chapter_url()).status_code == 200
    assert client.get(margin.chapter_url()).status_code == 404


def test_a_circle_made_private_is_hidden_at_once(client, margin):
    assert client.get(margin.chapter_url()).status_code == 200
    margin.circle.visibility = "private"
    margin.circle.save()
    assert client.get(margin.chapter_url()).status_code == 404


def test_a_chapter_the_circle_does_not_read_is_not_found(client, margin):
    assert client.get(margin.chapter_url(number=99)).status_code == 404
    margin.circle.readings.remove(margin.reading)
    assert client.get(margin.chapter_url()).status_code == 404


def test_renaming_the_reading_shows_at_once(client, margin):
    client.get(margin.chapter_url())
    margin.reading.title = "A Renamed Book"
    margin.reading.save()
    assert b"A Renamed Book" in client.get(margin.chapter_url()).content
