"""Sign up → verification email → verify → log in → log out, as a new reader would."""

from __future__ import annotations

import re

from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, make_user

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"


def confirmation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def sign_up(client, email: str, **extra):
    data = {"email": email, "display_name": "Nell Newcomer", "password1": PASSWORD}
    return client.post(SIGNUP, data | {"password2": PASSWORD} | extra)


def test_a_new_reader_signs_up_verifies_and_is_logged_in(client, db, mailoutbox):
    response = sign_up(client, "new.reader@example.org", time_zone="America/Chicago")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.reader@example.org"]
    # The email speaks as Marginalia, not as the host the request came in on.
    assert "Marginalia" in mailoutbox[0].body and "testserver" not in mailoutbox[0].body
    reader = User.objects.get(email="new.reader@example.org")
    assert (reader.display_name, reader.time_zone) == ("Nell Newcomer", "America/Chicago")
    notice = client.get(response["Location"]).content.decode()
    assert "Session times will show in America/Chicago, your browser’s time zone." in notice

    # Not verified yet: logging in sends them back to the verification notice.
    response = client.post(LOGIN, {"login": "new.reader@example.org", "password": PASSWORD})
    assert response["Location"] == reverse("account_email_verification_sent")

    link = confirmation_link(mailoutbox[0])
    page = client.get(link)
    assert b"new.reader@example.org" in page.content
    response = client.post(link)
    assert response.status_code == 302
    # Confirming in the browser that signed up logs them in.
    assert b"Nell Newcomer" in client.get("/").content

    client.logout()
    response = client.post(LOGIN, {"login": "new.reader@example.org", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    assert b"Nell Newcomer" in home.content
    assert b"Log out" in home.content

    client.post("/accounts/logout/")
    home = client.get("/")
    assert b"Log in" in home.content
    assert b"Log out" not in home.content


def test_signing_up_with_a_known_email_answers_the_same(client, member, mailoutbox):
    response = sign_up(client, member.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email=member.email).count() == 1
    # The owner of the address is told instead, by email.
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [member.email]


def test_an_unverified_reader_cannot_log_in(client, db):
    make_user("late@example.org", verified=False)
    response = client.post(LOGIN, {"login": "late@example.org", "password": PASSWORD})
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_without_javascript_the_zone_is_utc_and_the_name_is_required(client, db):
    refused = client.post(SIGNUP, {"email": "a@example.org", "password1": PASSWORD})
    assert refused.status_code == 200
    assert "Tell other readers what to call you." in refused.content.decode()
    sign_up(client, "b@example.org", time_zone="")
    assert User.objects.get(email="b@example.org").time_zone == "UTC"
    sign_up(client, "c@example.org", time_zone="Not/A_Zone")
    assert User.objects.get(email="c@example.org").time_zone == "UTC"
