"""The home page: what Marginalia is, with public circles and readings to start from."""

from __future__ import annotations

from tests.factories import make_circle, make_reading


def test_home_shows_public_circles_and_readings_but_never_private_ones(client, organizer):
    make_circle(organizer, name="Open Book Club")
    make_circle(organizer, name="Secret Society", private=True)
    make_reading("Middlemarch")
    page = client.get("/").content.decode()
    assert "Open Book Club" in page
    assert "Middlemarch" in page
    assert "Secret Society" not in page


def test_home_queries_stay_few(client, organizer, django_assert_max_num_queries):
    for n in range(8):
        make_circle(organizer, name=f"Circle {n}")
        make_reading(f"Book {n}")
    with django_assert_max_num_queries(4):
        assert client.get("/").status_code == 200


def test_the_favicon_is_found_where_browsers_look_for_it(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200


def test_a_member_is_not_invited_to_join_a_circle_they_are_in(client, organizer):
    make_circle(organizer, name="Open Book Club")
    client.force_login(organizer)
    page = client.get("/").content.decode()
    assert "Open Book Club" in page
    assert "Circles you can join" not in page
    assert '<h2 id="home-circles">Public circles</h2>' in page
