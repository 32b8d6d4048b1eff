"""Choosing a password: at least 12 characters, and not one of the common ones."""

from __future__ import annotations

from accounts.models import User

SIGNUP = "/accounts/signup/"


def sign_up(client, password: str):
    data = {"email": "nell@example.org", "display_name": "Nell", "password1": password}
    return client.post(SIGNUP, data | {"password2": password})


def test_a_password_shorter_than_12_characters_is_refused(client, db):
    response = sign_up(client, "Kx7#rq2!vLm")  # 11 characters
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert not User.objects.filter(email="nell@example.org").exists()


def test_a_common_password_is_refused_even_when_long_enough(client, db):
    response = sign_up(client, "password1234")
    assert "This password is too common." in response.content.decode()
    assert not User.objects.filter(email="nell@example.org").exists()


def test_a_long_uncommon_password_is_accepted(client, db):
    response = sign_up(client, "Kx7#rq2!vLm9")  # 12 characters
    assert response.status_code == 302
    assert User.objects.filter(email="nell@example.org").exists()
