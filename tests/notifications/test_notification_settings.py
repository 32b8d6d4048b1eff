"""Email choices: each kind right away, in a daily digest, or never, saved in one form
("right away" needs no row); the reminder cannot wait for a digest."""

from __future__ import annotations

from django.urls import reverse

from notifications.models import EmailKind, EmailPreference, Frequency

URL = "/notifications/settings/"


def all_right_away() -> dict:
    return dict.fromkeys(EmailKind.values, Frequency.IMMEDIATELY)


def test_the_form_shows_every_kind_with_my_current_choice(client, member):
    EmailPreference.set(member, EmailKind.THREAD, Frequency.DIGEST)
    client.force_login(member)
    page = client.get(URL).content.decode()
    for kind in EmailKind:
        assert f'<label for="id_{kind.value}">{kind.label}:</label>' in page
    assert '<option value="digest" selected>In a daily digest</option>' in page


def test_saving_stores_the_choices_in_one_go(client, member):
    EmailPreference.set(member, EmailKind.REPLY, Frequency.NEVER)
    client.force_login(member)
    data = all_right_away() | {"thread": "digest", "meeting_changed": "never"}
    response = client.post(URL, data, follow=True)
    assert "Your email choices are saved." in response.content.decode()
    assert dict(EmailPreference.objects.filter(user=member).values_list("kind", "frequency")) == {
        "thread": "digest",
        "meeting_changed": "never",
    }


def test_the_reminder_has_no_digest(client, member):
    client.force_login(member)
    response = client.post(URL, all_right_away() | {"meeting_reminder": "digest"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not EmailPreference.objects.exists()


def test_settings_link_to_the_notifications(client, member):
    client.force_login(member)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert 'href="/notifications/settings/"' in page
    assert 'href="/notifications/"' in page


def test_all_off_and_all_in_the_digest_in_one_click(client, member):
    client.force_login(member)
    client.post(URL, {"all": "digest"})
    chosen = dict(EmailPreference.objects.filter(user=member).values_list("kind", "frequency"))
    assert chosen == {kind: "digest" for kind in EmailKind.values if kind != "meeting_reminder"}
    page = client.post(URL, {"all": "never"}, follow=True).content.decode()
    assert "No more emails" in page
    chosen = dict(EmailPreference.objects.filter(user=member).values_list("kind", "frequency"))
    assert chosen == dict.fromkeys(EmailKind.values, "never")
