"""Settings → Delete my account: password first; comments stay as "former member"."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import User
from circles.models import RSVP, Membership, Role
from discussions.models import Comment
from tests.factories import PASSWORD, make_margin, make_meeting

URL = reverse("accounts:account-delete")


def test_anonymous_readers_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_says_plainly_that_comments_stay(client, member):
    client.force_login(member)
    html = client.get(URL).content.decode()
    assert "Your comments stay in their threads" in html
    assert "“former member”" in html
    assert 'name="password"' in html


def test_a_wrong_password_changes_nothing(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    margin.comment(member, "Still mine")
    client.force_login(member)

    response = client.post(URL, {"password": "not it"})

    assert response.status_code == 422
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()
    assert Comment.objects.get().author == member
    assert client.session.get(SESSION_KEY) == str(member.pk)


def test_the_right_password_erases_the_person_and_keeps_their_comments(
    client, organizer, moderator, member
):
    margin = make_margin(organizer, moderator, member)
    shared = margin.comment(member, "Words worth keeping")
    margin.comment(member, "My private note", is_private=True)
    make_meeting(margin.circle, margin.reading).answer_rsvp(member, "going")
    client.force_login(member)

    response = client.post(URL, {"password": PASSWORD}, follow=True)

    assert not User.objects.filter(pk=member.pk).exists()
    assert not User.objects.filter(email="mina.member@example.org").exists()
    assert not EmailAddress.objects.filter(email="mina.member@example.org").exists()
    assert not Membership.objects.filter(user_id=member.pk).exists()
    assert not RSVP.objects.filter(user_id=member.pk).exists()
    kept = Comment.objects.get()
    assert kept.pk == shared.pk
    assert kept.author is None and kept.author_name == "former member"
    assert kept.body == "Words worth keeping"
    assert SESSION_KEY not in client.session
    assert "Your account is deleted." in response.content.decode()


def test_the_last_organizer_is_asked_to_hand_over_first(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    client.force_login(organizer)

    page = client.get(URL).content.decode()
    response = client.post(URL, {"password": PASSWORD})

    assert "You are the only organizer of “Public Readers”" in page
    assert "You are the only organizer of “Public Readers”" in response.content.decode()
    assert User.objects.filter(pk=organizer.pk).exists()
    assert Membership.objects.filter(user=organizer, circle=margin.circle).exists()


def test_an_organizer_with_a_co_organizer_may_leave(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    Membership.objects.filter(user=moderator, circle=margin.circle).update(role=Role.ORGANIZER)
    client.force_login(organizer)

    client.post(URL, {"password": PASSWORD})

    assert not User.objects.filter(pk=organizer.pk).exists()
