"""Password reset by email, without revealing who has an account."""

from __future__ import annotations

import re

from tests.factories import make_user

RESET = "/accounts/password/reset/"
NEW_PASSWORD = "a brand new reading lamp"


def test_a_reader_resets_a_forgotten_password(client, db, mailoutbox):
    make_user("forgetful@example.org")
    response = client.post(RESET, {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1

    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    form_page = client.get(link.group(1), follow=True)
    assert b"password1" in form_page.content
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302

    assert client.login(email="forgetful@example.org", password=NEW_PASSWORD)


def test_reset_answers_the_same_for_unknown_and_known_emails(client, db, mailoutbox):
    make_user("known@example.org")
    known = client.post(RESET, {"email": "known@example.org"})
    unknown = client.post(RESET, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert known.cookies.keys() == unknown.cookies.keys()
