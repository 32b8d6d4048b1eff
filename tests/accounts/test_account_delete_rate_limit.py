"""Delete my account: the 6th wrong password for one account in five minutes is refused, even
the right one, until the five minutes are over."""

from __future__ import annotations

import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD

URL = reverse("accounts:account-delete")
REFUSED = "Too many wrong passwords. Try again in five minutes."


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, member):
    client.force_login(member)
    with time_machine.travel("2026-11-22 10:00", tick=False):
        for _ in range(5):
            response = client.post(URL, {"password": "a guess"})
            assert "That is not your password." in response.content.decode()

        response = client.post(URL, {"password": PASSWORD})

        assert response.status_code == 422
        assert REFUSED in response.content.decode()
        assert User.objects.filter(pk=member.pk).exists()
        assert client.session.get(SESSION_KEY) == str(member.pk)

    with time_machine.travel("2026-11-22 10:06", tick=False):
        response = client.post(URL, {"password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(pk=member.pk).exists()


def test_fewer_wrong_passwords_do_not_stand_in_the_way(client, member):
    client.force_login(member)
    with time_machine.travel("2026-11-22 10:00", tick=False):
        for _ in range(4):
            client.post(URL, {"password": "a guess"})
        response = client.post(URL, {"password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(pk=member.pk).exists()


def test_the_limit_is_per_account(client, member, outsider):
    client.force_login(member)
    with time_machine.travel("2026-11-22 10:00", tick=False):
        for _ in range(6):
            client.post(URL, {"password": "a guess"})
        client.force_login(outsider)
        response = client.post(URL, {"password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(pk=outsider.pk).exists()
