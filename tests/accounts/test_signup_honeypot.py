"""allauth's sign-up honeypot: a field people never see, which bots fill in. A filled one is
answered exactly like a sign-up, and nothing is made or sent."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD

SIGNUP = "/accounts/signup/"


def sign_up(client, email: str, website: str = ""):
    data = {"email": email, "display_name": "Bot", "password1": PASSWORD, "password2": PASSWORD}
    data["website"] = website
    return client.post(SIGNUP, data)


def test_the_form_carries_the_field_hidden_from_people(client, db):
    html = client.get(SIGNUP).content.decode()
    assert 'name="website" class="honeypot" tabindex="-1" autocomplete="off"' in html
    assert "style=" not in html  # hidden by the stylesheet: the CSP forbids inline styles


def test_a_filled_honeypot_looks_like_success_but_makes_no_account(client, db, mailoutbox):
    response = sign_up(client, "bot@example.org", website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not User.objects.filter(email="bot@example.org").exists()
    assert mailoutbox == []


def test_an_empty_honeypot_signs_up_as_usual(client, db, mailoutbox):
    response = sign_up(client, "person@example.org")
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="person@example.org").exists()
    assert [message.to for message in mailoutbox] == [["person@example.org"]]
