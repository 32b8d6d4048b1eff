"""Fixtures of the accounts tests (the people are in tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) MarginaliaTest/1.0"


@pytest.fixture
def logged_in(client, member):
    """Logged in through the login form, as a reader would: allauth records the session."""
    response = client.post(
        reverse("account_login"),
        {"login": member.email, "password": PASSWORD},
        HTTP_USER_AGENT=BROWSER,
    )
    assert response.status_code == 302
    return client
