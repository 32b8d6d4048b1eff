"""Starting and editing a circle."""

from __future__ import annotations

import pytest
from django.urls import reverse

from circles.models import Circle, Membership, Role, Visibility
from circles.models.circle import unique_slug
from tests.factories import make_circle, make_reading, make_user

URL = reverse("circles:circle-create")


@pytest.fixture
def starter(db):
    return make_user("starter@example.org", time_zone="Europe/Paris")


def test_starting_a_circle_makes_you_its_organizer(client, starter):
    reading = make_reading("Seed Essay")
    client.force_login(starter)

    response = client.post(
        URL,
        {
            "name": "  Night   Readers ",
            "description": "We read *slowly*.<script>alert(1)</script>",
            "visibility": Visibility.PRIVATE,
            "time_zone": "Europe/Paris",
            "readings": [reading.pk],
        },
    )

    circle = Circle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == circle.get_absolute_url()
    assert circle.name == "Night Readers"
    assert circle.slug == "night-readers"
    assert "<em>slowly</em>" in circle.description_html
    assert "<script" not in circle.description_html
    assert list(circle.readings.all()) == [reading]
    assert Membership.objects.get(circle=circle).role == Role.ORGANIZER
    assert Membership.objects.get(circle=circle).user == starter


def test_the_time_zone_defaults_to_the_creators(client, starter):
    client.force_login(starter)
    response = client.get(URL)
    assert '<option value="Europe/Paris" selected>' in response.text


def test_bad_input_names_the_problem_and_saves_nothing(client, starter):
    client.force_login(starter)

    response = client.post(
        URL, {"name": "   ", "visibility": "secret", "time_zone": "Mars/Olympus"}
    )

    assert response.status_code == 422
    assert "Give the circle a name." in response.text
    assert "Mars/Olympus is not one of the available choices" in response.text
    assert "nothing was saved" in response.text
    assert not Circle.objects.exists()
    assert not Membership.objects.exists()


@pytest.mark.parametrize("name", ["new", "Mine", "NEW"])
def test_reserved_words_are_never_slugs(db, name):
    assert unique_slug(Circle, name) == f"{name.lower()}-2"


def test_a_circle_named_mine_does_not_hide_my_circles(client, starter):
    client.force_login(starter)
    client.post(URL, {"name": "Mine", "visibility": "public", "time_zone": "UTC"})

    assert Circle.objects.get().slug == "mine-2"
    assert "My circles" in client.get(reverse("circles:my-circles")).text


def test_organizers_edit_the_circle_and_its_slug_stays(client, organizer):
    circle = make_circle(organizer, name="Old Name")
    client.force_login(organizer)

    response = client.post(
        reverse("circles:circle-edit", args=[circle.slug]),
        {"name": "New Name", "description": "Hello", "visibility": "private", "time_zone": "UTC"},
    )

    circle.refresh_from_db()
    assert response.status_code == 302
    assert (circle.name, circle.slug, circle.visibility) == ("New Name", "old-name", "private")
    assert circle.description_html == "<p>Hello</p>"


def test_an_overlong_description_is_refused_with_its_length(client, organizer):
    circle = make_circle(organizer, name="Tidy")
    client.force_login(organizer)

    response = client.post(
        reverse("circles:circle-edit", args=[circle.slug]),
        {"name": "Tidy", "description": "x" * 6000, "visibility": "public", "time_zone": "UTC"},
    )

    assert "The description is 6,000 characters long" in response.text
    circle.refresh_from_db()
    assert circle.description == ""
