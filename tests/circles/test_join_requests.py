"""Asking to join from an expired or used-up invitation; organizers approve or decline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from circles.models import Invite, JoinRequest, JoinRequestState, Membership


@pytest.fixture
def circle(hidden_garden):
    return hidden_garden


@pytest.fixture
def expired(circle, organizer):
    invite = Invite.create_for(circle, organizer)
    Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(days=1))
    invite.refresh_from_db()
    return invite


def ask(client, invite, message="I was at the last meeting."):
    url = reverse("circles:join-request-create", args=[invite.token])
    return client.post(url, {"message": message}, follow=True)


def decide(client, join_request, decision):
    url = reverse("circles:join-request-decide", args=[join_request.circle.slug, join_request.pk])
    return client.post(url, {"decision": decision}, follow=True)


def test_a_holder_of_an_expired_invite_asks_to_join(client, expired, outsider):
    client.force_login(outsider)

    response = ask(client, expired)

    join_request = JoinRequest.objects.get()
    assert (join_request.user, join_request.state) == (outsider, JoinRequestState.PENDING)
    assert join_request.message == "I was at the last meeting."
    assert "Your request is sent" in response.text
    assert "You asked to join on" in response.text
    assert not Membership.objects.filter(user=outsider).exists()


def test_asking_twice_keeps_one_pending_request(client, expired, outsider):
    client.force_login(outsider)
    ask(client, expired)

    response = ask(client, expired)

    assert JoinRequest.objects.count() == 1
    assert "You have already asked" in response.text


def test_a_working_invite_cannot_be_used_to_ask(client, circle, organizer, outsider):
    invite = Invite.create_for(circle, organizer)
    client.force_login(outsider)

    response = ask(client, invite)

    assert not JoinRequest.objects.exists()
    assert "you can join right away" in response.text


def test_a_revoked_invite_cannot_be_used_to_ask(client, circle, organizer, outsider):
    invite = Invite.create_for(circle, organizer)
    invite.revoke()
    client.force_login(outsider)

    response = ask(client, invite)

    assert not JoinRequest.objects.exists()
    assert "You cannot ask to join through this invitation." in response.text


def test_anonymous_askers_log_in_first(client, expired):
    response = client.post(reverse("circles:join-request-create", args=[expired.token]))
    assert response["Location"].startswith(reverse("account_login"))
    assert not JoinRequest.objects.exists()


def test_organizers_see_pending_requests_on_the_members_page(client, circle, organizer, outsider):
    JoinRequest.objects.create(circle=circle, user=outsider, message="Please let me in")
    client.force_login(organizer)
    text = client.get(reverse("circles:members", args=[circle.slug])).text
    assert "Oscar" in text and "Please let me in" in text and "Approve" in text


def test_approving_a_request_adds_the_member(client, circle, organizer, outsider):
    join_request = JoinRequest.objects.create(circle=circle, user=outsider)
    client.force_login(organizer)

    response = decide(client, join_request, "approve")

    join_request.refresh_from_db()
    assert join_request.state == JoinRequestState.APPROVED
    assert join_request.decided_by == organizer
    assert Membership.objects.filter(circle=circle, user=outsider, state="active").exists()
    assert "Oscar is now a member." in response.text


def test_declining_a_request_adds_no_one(client, circle, organizer, outsider):
    join_request = JoinRequest.objects.create(circle=circle, user=outsider)
    client.force_login(organizer)

    response = decide(client, join_request, "decline")

    join_request.refresh_from_db()
    assert join_request.state == JoinRequestState.DECLINED
    assert not Membership.objects.filter(user=outsider).exists()
    assert "request was declined" in response.text


def test_a_request_is_decided_only_once(client, circle, organizer, outsider):
    join_request = JoinRequest.objects.create(circle=circle, user=outsider)
    client.force_login(organizer)
    decide(client, join_request, "decline")

    response = decide(client, join_request, "approve")

    assert not Membership.objects.filter(user=outsider).exists()
    assert "already decided" in response.text


def test_a_nonsense_decision_is_refused(client, circle, organizer, outsider):
    join_request = JoinRequest.objects.create(circle=circle, user=outsider)
    client.force_login(organizer)

    response = decide(client, join_request, "maybe")

    assert "Choose approve or decline." in response.text
    join_request.refresh_from_db()
    assert join_request.state == JoinRequestState.PENDING
