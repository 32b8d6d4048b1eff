"""The settings page: display name and time zone."""

from __future__ import annotations

from django.urls import reverse

URL = reverse("accounts:settings")


def test_anonymous_readers_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_reader_changes_display_name_and_time_zone(client, member):
    client.force_login(member)
    response = client.post(URL, {"display_name": "  Mina   R. ", "time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Mina R."
    assert member.time_zone == "Asia/Tokyo"
    page = client.get(URL, follow=True)
    assert b"Your settings are saved." in page.content
    assert b"Mina R." in page.content


def test_an_unknown_time_zone_is_refused_with_a_message(client, member):
    client.force_login(member)
    response = client.post(URL, {"display_name": "Mina", "time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 422
    assert "“Mars/Olympus_Mons” is not a time zone name such as Europe/Paris." in response.text
    member.refresh_from_db()
    assert member.time_zone == "UTC"
