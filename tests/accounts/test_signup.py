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


def test_a_new_reader_signs_up_verifies_logs_in_and_out(client, db, mailoutbox):
    response = client.post(
        SIGNUP, {"email": "new.reader@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.reader@example.org"]

    # Not verified yet: logging in sends them back to the verification notice.
    response = client.post(LOGIN, {"login": "new.reader@example.org", "password": PASSWORD})
    assert response["Location"] == reverse("account_email_verification_sent")

    link = confirmation_link(mailoutbox[0])
    page = client.get(link)
    assert b"new.reader@example.org" in page.content
    response = client.post(link)
    assert response.status_code == 302

    client.logout()
    response = client.post(LOGIN, {"login": "new.reader@example.org", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    assert b"new.reader" in home.content
    assert b"Log out" in home.content

    client.post("/accounts/logout/")
    home = client.get("/")
    assert b"Log in" in home.content
    assert b"Log out" not in home.content


def test_signing_up_with_a_known_email_answers_the_same(client, member, mailoutbox):
    response = client.post(
        SIGNUP, {"email": member.email, "password1": PASSWORD, "password2": PASSWORD}
    )
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
