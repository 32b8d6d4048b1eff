"""Join requests are told about: organizers see how many wait on the circle home and get a
notification of each new one; the person who asked hears the answer, though (declined) they
are not a member. Nothing else of a private circle reaches them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from circles.models import Invite, JoinRequest, Membership, MembershipState
from notifications import delivery, fanout
from notifications.models import (
    EmailKind,
    EmailPreference,
    EmailState,
    Frequency,
    Notification,
    NotificationKind,
)
from tests.factories import circle_with_roles, make_meeting, make_reading

# Notifications are made once a write commits: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)


K = NotificationKind


@pytest.fixture
def circle(organizer, moderator, member):
    return circle_with_roles(
        organizer, moderator, member, private=True, readings=[make_reading(chapters=2)]
    )


@pytest.fixture
def expired(circle, organizer):
    invite = Invite.create_for(circle, organizer)
    Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(days=1))
    return invite


def ask(client, user, invite) -> JoinRequest:
    client.force_login(user)
    url = reverse("circles:join-request-create", args=[invite.token])
    client.post(url, {"message": "I was at the last meeting."})
    return JoinRequest.objects.get(user=user)


def decide(client, organizer, join_request, decision: str):
    client.force_login(organizer)
    url = reverse("circles:join-request-decide", args=[join_request.circle.slug, join_request.pk])
    return client.post(url, {"decision": decision})


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_the_circle_home_counts_pending_requests_for_organizers_only(
    client, circle, organizer, moderator, member, outsider
):
    JoinRequest.objects.create(circle=circle, user=outsider)
    client.force_login(organizer)
    page = client.get(circle.get_absolute_url()).text
    assert "Members and requests (1 pending request)</a>" in page
    for person in (moderator, member):
        client.force_login(person)
        assert "pending request" not in client.get(circle.get_absolute_url()).text


def test_the_home_says_nothing_when_no_request_waits(client, circle, organizer, outsider):
    JoinRequest.objects.create(circle=circle, user=outsider, state="declined")
    client.force_login(organizer)
    assert "Members and requests</a>" in client.get(circle.get_absolute_url()).text


def test_a_new_request_notifies_the_organizers_only(
    client, circle, expired, organizer, moderator, member, outsider
):
    ask(client, outsider, expired)
    assert kinds(organizer) == [K.JOIN_REQUESTED]
    assert kinds(moderator) == kinds(member) == kinds(outsider) == []
    notification = Notification.objects.get(recipient=organizer)
    assert notification.actor == outsider
    client.force_login(organizer)
    listing = client.get(reverse("notifications:notification-list")).text
    assert "New join request from Oscar" in listing
    opened = client.get(notification.get_absolute_url())
    assert opened["Location"] == reverse("circles:members", args=[circle.slug])


def test_asking_twice_notifies_once(client, circle, expired, organizer, outsider):
    ask(client, outsider, expired)
    client.post(reverse("circles:join-request-create", args=[expired.token]), {"message": ""})
    assert kinds(organizer) == [K.JOIN_REQUESTED]


def test_an_approval_reaches_the_new_member(client, circle, expired, organizer, outsider):
    join_request = ask(client, outsider, expired)
    decide(client, organizer, join_request, "approve")
    assert kinds(outsider) == [K.JOIN_APPROVED]
    client.force_login(outsider)
    listing = client.get(reverse("notifications:notification-list")).text
    assert "Your join request was approved" in listing
    notification = Notification.objects.get(recipient=outsider)
    assert client.get(notification.get_absolute_url())["Location"] == circle.get_absolute_url()


def test_a_decline_reaches_the_asker_outside_the_private_circle_and_nothing_else_does(
    client, circle, expired, organizer, outsider
):
    join_request = ask(client, outsider, expired)
    decide(client, organizer, join_request, "decline")
    # Later news of the circle goes to its members, never to the declined asker.
    fanout.meetings_announced([make_meeting(circle)], EmailKind.MEETING_SCHEDULED, by=organizer)
    assert kinds(outsider) == [K.JOIN_DECLINED]

    client.force_login(outsider)
    listing = client.get(reverse("notifications:notification-list")).text
    assert "Your join request was declined" in listing
    assert "scheduled a session" not in listing
    notification = Notification.objects.get(recipient=outsider)
    opened = client.get(notification.get_absolute_url())
    assert opened["Location"] == reverse("circles:my-circles")
    assert client.get(circle.get_absolute_url()).status_code == 404


def test_the_decision_is_emailed_with_its_own_choice(
    client, circle, expired, organizer, outsider, mailoutbox
):
    join_request = ask(client, outsider, expired)
    decide(client, organizer, join_request, "decline")
    declined = Notification.objects.get(recipient=outsider)
    assert declined.email == EmailState.IMMEDIATE
    delivery.send_now([declined.pk])  # what the queued task does
    [message] = mailoutbox
    assert message.to == [outsider.email]
    assert message.subject == "[Marginalia] Private Readers: Your join request was declined"
    assert "because you asked to join Private Readers" in message.body
    assert "because you are a member" not in message.body

    # The organizer chose a digest for requests; the asker "never" for decisions.
    EmailPreference.set(organizer, EmailKind.JOIN_REQUESTED, Frequency.DIGEST)
    EmailPreference.set(outsider, EmailKind.JOIN_APPROVED, Frequency.NEVER)
    again = JoinRequest.objects.create(circle=circle, user=outsider)
    fanout.join_requested(again)
    again.decide(organizer, approve=True)
    fanout.join_decided(again)
    requested = Notification.objects.filter(recipient=organizer).latest("pk")
    assert requested.email == EmailState.DIGEST
    approved = Notification.objects.get(recipient=outsider, kind=K.JOIN_APPROVED)
    assert approved.email == EmailState.NONE


def test_the_email_choices_page_offers_the_new_kinds(client, outsider):
    client.force_login(outsider)
    page = client.get(reverse("notifications:notification-settings")).text
    assert "Someone asks to join a circle I organize" in page
    assert "My request to join a circle is declined" in page


def test_a_banned_asker_hears_nothing(circle, organizer, member):
    Membership.objects.filter(circle=circle, user=member).update(state=MembershipState.BANNED)
    join_request = JoinRequest.objects.create(circle=circle, user=member)
    join_request.decide(organizer, approve=False)
    assert fanout.join_decided(join_request) == []
