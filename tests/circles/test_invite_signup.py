"""Someone invited who has no account yet: sign up, confirm the email (which logs them in, in
the browser they signed up in), and land back on the invitation, ready to join."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from circles.models import Invite, Membership
from tests.factories import PASSWORD, make_circle, make_user

SIGNUP = reverse("account_signup")
LOGIN = reverse("account_login")


@pytest.fixture
def invite(organizer):
    circle = make_circle(organizer, name="Hidden Garden", private=True)
    return Invite.create_for(circle, organizer)


def confirmation_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def sign_up_and_confirm(client, email: str, *, signup_url: str = SIGNUP):
    """The whole way of a new reader: what confirming their email answers (it logs them in)."""
    data = {"email": email, "display_name": "Newcomer", "password1": PASSWORD}
    response = client.post(signup_url, data | {"password2": PASSWORD})
    assert response["Location"] == reverse("account_email_verification_sent")
    [message] = [m for m in mail.outbox if m.to == [email]]
    link = confirmation_path(message)
    assert client.get(link).status_code == 200
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert "_auth_user_id" in client.session
    return confirmed


def test_signing_up_from_an_invite_comes_back_to_it_after_confirming(client, invite):
    url = invite.get_absolute_url()
    page = client.get(url).text
    # The page's own "Sign up" link.
    [signup_url] = re.findall(r'href="(/accounts/signup/\?next=[^"]+)"', page)
    assert signup_url == f"{SIGNUP}?next={url}"

    response = sign_up_and_confirm(client, "new.reader@example.org", signup_url=signup_url)

    assert response.status_code == 302
    assert response["Location"] == url
    page = client.get(url).text
    assert "Join Hidden Garden" in page
    client.post(url)
    assert Membership.objects.filter(
        circle=invite.circle, user__email="new.reader@example.org"
    ).exists()


def test_the_signup_next_alone_is_enough(client, invite):
    """A link straight to the sign-up page that names the invitation (no visit to it first)."""
    url = invite.get_absolute_url()
    response = sign_up_and_confirm(client, "direct@example.org", signup_url=f"{SIGNUP}?next={url}")
    assert response["Location"] == url


def test_viewing_the_invite_then_signing_up_without_next_still_comes_back(client, invite):
    url = invite.get_absolute_url()
    client.get(url)
    response = sign_up_and_confirm(client, "plain@example.org")
    assert response["Location"] == url


def test_the_way_back_is_used_once(client, invite):
    url = invite.get_absolute_url()
    client.get(url)
    assert sign_up_and_confirm(client, "once@example.org")["Location"] == url
    client.post(reverse("account_logout"))
    again = client.post(LOGIN, {"login": "once@example.org", "password": PASSWORD})
    assert again["Location"] == "/"


def test_a_member_landing_on_the_invite_forgets_the_way_back(client, invite):
    """Logged in through the page's own "Log in to join" (its `next`): once back on the
    invitation, a later log-in goes home as usual."""
    make_user("reader@example.org")
    url = invite.get_absolute_url()
    client.get(url)
    response = client.post(
        f"{LOGIN}?next={url}", {"login": "reader@example.org", "password": PASSWORD}
    )
    assert response["Location"] == url
    client.get(url)
    client.post(reverse("account_logout"))
    again = client.post(LOGIN, {"login": "reader@example.org", "password": PASSWORD})
    assert again["Location"] == "/"


def test_a_sign_up_next_elsewhere_is_not_followed(client, db):
    response = sign_up_and_confirm(
        client, "offsite@example.org", signup_url=f"{SIGNUP}?next=https://evil.example.com/"
    )
    assert response["Location"] == "/"
