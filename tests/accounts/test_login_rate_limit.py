"""Guessing passwords: the 6th wrong one for one account in five minutes is refused."""

from __future__ import annotations

import time_machine

from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def attempt(client, email: str, password: str):
    return client.post(LOGIN, {"login": email, "password": password})


def test_the_sixth_bad_password_in_five_minutes_is_refused(client, member):
    with time_machine.travel("2026-11-22 10:00", tick=False):
        for _ in range(5):
            response = attempt(client, member.email, "wrong password")
            assert response.status_code == 200
            assert b"not correct" in response.content

        # The lockout answers 429 (Too Many Requests) with the same page and its message.
        response = attempt(client, member.email, "wrong password")
        assert response.status_code == 429
        assert b"Too many failed login attempts" in response.content
        assert b'name="password"' in response.content
        # Even the right password is refused while the limit holds.
        response = attempt(client, member.email, PASSWORD)
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

    with time_machine.travel("2026-11-22 10:06", tick=False):
        response = attempt(client, member.email, PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(member.pk)


def test_the_limit_is_per_account(client, member, outsider):
    with time_machine.travel("2026-11-22 10:00", tick=False):
        for _ in range(6):
            attempt(client, member.email, "wrong password")
        response = attempt(client, outsider.email, PASSWORD)
        assert response.status_code == 302
