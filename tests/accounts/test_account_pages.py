"""The account menu's allauth pages open, inside the site's layout."""

from __future__ import annotations

from django.urls import reverse

from tests.accounts.conftest import BROWSER
from tests.factories import PASSWORD


def in_site_layout(response) -> bool:
    page = response.content.decode()
    return 'class="skip-link"' in page and 'data-testid="header-name"' in page


def test_the_devices_page_lists_the_readers_session(logged_in):
    response = logged_in.get(reverse("usersessions_list"), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    assert in_site_layout(response)
    assert BROWSER in response.content.decode()
    assert b"Current" in response.content


def test_the_email_addresses_page_offers_to_change_the_address(logged_in, member):
    response = logged_in.get(reverse("account_email"))
    assert response.status_code == 200
    assert in_site_layout(response)
    assert member.email in response.content.decode()


def test_the_two_factor_page_and_totp_activation_open(logged_in):
    index = logged_in.get(reverse("mfa_index"))
    assert index.status_code == 200
    assert in_site_layout(index)

    # Activating is a sensitive step: allauth asks for the password again first.
    activate_url = reverse("mfa_activate_totp")
    asked = logged_in.get(activate_url, follow=True)
    assert asked.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert in_site_layout(asked)
    confirmed = logged_in.post(
        reverse("account_reauthenticate"), {"password": PASSWORD, "next": activate_url}
    )
    assert confirmed.status_code == 302

    activate = logged_in.get(activate_url)
    assert activate.status_code == 200
    assert in_site_layout(activate)
    assert b'name="code"' in activate.content


def test_anonymous_readers_are_sent_to_log_in(client, db):
    for name in ("usersessions_list", "account_email", "mfa_activate_totp"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
