"""Invitation links: made and revoked by organizers; followed by anyone holding them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from circles.models import Invite, InviteUnusable, Membership
from tests.factories import make_user


@pytest.fixture
def circle(hidden_garden):
    return hidden_garden


def accept(client, invite, **kwargs):
    return client.post(reverse("circles:invite-accept", args=[invite.token]), **kwargs)


def test_organizers_make_an_invite_link(client, circle, organizer):
    client.force_login(organizer)

    response = client.post(
        reverse("circles:invites", args=[circle.slug]),
        {"days": "7", "max_uses": "3"},
        follow=True,
    )

    invite = Invite.objects.get()
    assert (invite.circle, invite.max_uses, invite.created_by) == (circle, 3, organizer)
    assert timedelta(days=6, hours=23) < invite.expires_at - timezone.now() <= timedelta(days=7)
    assert f"http://testserver/invite/{invite.token}/" in response.text
    assert "used 0 of 3 times" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"days": "0"}, "An invitation must last at least 1 day."),
        ({"days": "400"}, "An invitation can last at most 365 days."),
        ({"days": "soon"}, "Enter the number of days as a whole number"),
        ({"days": "7", "max_uses": "0"}, "Allow at least 1 use"),
    ],
)
def test_bad_invite_settings_are_named_and_nothing_is_made(
    client, circle, organizer, data, message
):
    client.force_login(organizer)

    response = client.post(reverse("circles:invites", args=[circle.slug]), data)

    assert response.status_code == 422
    assert message in response.text
    assert not Invite.objects.exists()


def test_the_invite_page_shows_the_circle_name_and_a_join_button(
    client, circle, organizer, outsider
):
    invite = Invite.create_for(circle, organizer)
    client.force_login(outsider)

    response = client.get(invite.get_absolute_url())

    assert "Hidden Garden" in response.text
    assert "Join Hidden Garden" in response.text


def test_anonymous_visitors_are_asked_to_log_in_and_come_back(client, circle, organizer):
    invite = Invite.create_for(circle, organizer)
    url = invite.get_absolute_url()

    page = client.get(url)
    response = accept(client, invite)

    assert f"{reverse('account_login')}?next={url}" in page.text.replace("%2F", "/")
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert not Membership.objects.exclude(user=organizer).exists()


def test_following_an_invite_joins_the_private_circle(client, circle, organizer, outsider):
    invite = Invite.create_for(circle, organizer, max_uses=2)
    client.force_login(outsider)

    response = accept(client, invite, follow=True)

    assert Membership.objects.filter(circle=circle, user=outsider).exists()
    assert "Welcome to “Hidden Garden”." in response.text
    invite.refresh_from_db()
    assert invite.uses == 1


def test_expired_invites_say_so_and_offer_to_ask(client, circle, organizer, outsider, time_machine):
    time_machine.move_to(timezone.now())
    invite = Invite.create_for(circle, organizer, days=3)
    client.force_login(outsider)
    time_machine.shift(timedelta(days=3, seconds=1))

    page = client.get(invite.get_absolute_url())
    response = accept(client, invite)

    assert "This invitation expired on" in page.text
    assert "Ask to join" in page.text
    assert response.status_code == 410
    assert not Membership.objects.filter(user=outsider).exists()


def test_invites_work_until_they_expire(client, circle, organizer, outsider, time_machine):
    time_machine.move_to(timezone.now())
    invite = Invite.create_for(circle, organizer, days=3)
    client.force_login(outsider)
    time_machine.shift(timedelta(days=2, hours=23))

    accept(client, invite)

    assert Membership.objects.filter(user=outsider).exists()


def test_the_number_of_uses_is_enforced(client, circle, organizer, outsider, member):
    invite = Invite.create_for(circle, organizer, max_uses=1)
    client.force_login(member)
    accept(client, invite)
    client.force_login(outsider)

    response = accept(client, invite)

    assert response.status_code == 410
    assert "used as many times as it allows" in response.text
    assert not Membership.objects.filter(user=outsider).exists()
    invite.refresh_from_db()
    assert invite.uses == 1


def test_a_stale_copy_of_a_used_up_invite_cannot_be_redeemed(circle, organizer, member, outsider):
    """Two people holding the same last use: the count is checked in the UPDATE itself."""
    invite = Invite.create_for(circle, organizer, max_uses=1)
    first, second = Invite.objects.get(pk=invite.pk), Invite.objects.get(pk=invite.pk)
    first.redeem(member)

    with pytest.raises(InviteUnusable):
        second.redeem(outsider)

    assert Invite.objects.get(pk=invite.pk).uses == 1
    assert not Membership.objects.filter(user=outsider).exists()


def test_revoked_invites_stop_working_with_a_message(client, circle, organizer, outsider):
    invite = Invite.create_for(circle, organizer)
    client.force_login(organizer)
    client.post(reverse("circles:invite-revoke", args=[circle.slug, invite.pk]))
    client.force_login(outsider)

    page = client.get(invite.get_absolute_url())
    response = accept(client, invite)

    assert "This invitation was revoked" in page.text
    assert "Ask to join" not in page.text
    assert response.status_code == 410
    assert not Membership.objects.filter(user=outsider).exists()


def test_members_following_their_invite_again_are_sent_to_the_circle(client, circle, organizer):
    invite = Invite.create_for(circle, organizer, max_uses=1)
    client.force_login(organizer)

    response = accept(client, invite)

    assert response["Location"] == circle.get_absolute_url()
    invite.refresh_from_db()
    assert invite.uses == 0


def test_banned_people_cannot_come_back_through_an_invite(client, circle, organizer):
    banned = make_user("banned@example.org")
    circle.add_member(banned)
    Membership.objects.filter(user=banned).update(state="banned")
    invite = Invite.create_for(circle, organizer)
    client.force_login(banned)

    response = accept(client, invite, follow=True)

    assert "cannot join it again" in response.text
    assert Membership.objects.get(user=banned).state == "banned"


def test_unknown_invite_links_are_404(db, client):
    assert client.get(reverse("circles:invite-accept", args=["nope"])).status_code == 404
