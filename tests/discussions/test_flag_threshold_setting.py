"""Organizers choose, on the circle's edit form, how many flags hide a comment."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import Margin

FORM = {"name": "Public Readers", "description": "", "visibility": "public", "time_zone": "UTC"}


def test_organizers_set_the_flag_threshold(client, margin: Margin, organizer):
    client.force_login(organizer)
    url = reverse("circles:circle-edit", args=[margin.circle.slug])

    page = client.get(url).content.decode()
    response = client.post(url, {**FORM, "flag_threshold": "5"})

    assert "Flags that hide a comment" in page
    assert response.status_code == 302
    margin.circle.refresh_from_db()
    assert margin.circle.flag_threshold == 5


def test_a_negative_threshold_is_refused_and_nothing_is_saved(client, margin: Margin, organizer):
    client.force_login(organizer)
    url = reverse("circles:circle-edit", args=[margin.circle.slug])

    response = client.post(url, {**FORM, "name": "Renamed", "flag_threshold": "-1"})

    assert response.status_code == 422
    assert "The number of flags cannot be negative." in response.content.decode()
    margin.circle.refresh_from_db()
    assert (margin.circle.name, margin.circle.flag_threshold) == ("Public Readers", 3)


def test_a_new_circle_starts_with_three(client, organizer):
    client.force_login(organizer)
    page = client.get(reverse("circles:circle-create")).content.decode()
    assert "flag_threshold" not in page
