"""Joining a public circle with one click, and leaving; the last organizer hands over first."""

from __future__ import annotations

from django.urls import reverse

from circles.models import Membership, MembershipState, Role
from tests.factories import make_circle


def join(client, circle):
    return client.post(reverse("circles:circle-join", args=[circle.slug]), follow=True)


def leave(client, circle):
    return client.post(reverse("circles:circle-leave", args=[circle.slug]), follow=True)


def test_a_signed_in_reader_joins_a_public_circle_with_one_click(client, organizer, outsider):
    circle = make_circle(organizer, name="Open Door")
    client.force_login(outsider)

    response = join(client, circle)

    membership = Membership.objects.get(circle=circle, user=outsider)
    assert (membership.role, membership.state) == (Role.MEMBER, MembershipState.ACTIVE)
    assert "Welcome to “Open Door”." in response.text
    assert "Leave the circle" in response.text


def test_anonymous_visitors_log_in_and_come_back_to_the_circle(client, organizer):
    circle = make_circle(organizer)

    response = client.post(reverse("circles:circle-join", args=[circle.slug]))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={circle.get_absolute_url()}"


def test_joining_twice_keeps_one_membership_and_its_role(client, organizer):
    circle = make_circle(organizer, name="Twice")
    client.force_login(organizer)

    response = join(client, circle)

    assert Membership.objects.get(circle=circle, user=organizer).role == Role.ORGANIZER
    assert "You are already a member" in response.text


def test_banned_members_can_read_a_public_circle_but_not_join_again(client, organizer, member):
    circle = make_circle(organizer, name="Strict")
    circle.add_member(member)
    Membership.objects.filter(user=member).update(state=MembershipState.BANNED)
    client.force_login(member)

    page = client.get(circle.get_absolute_url())
    response = join(client, circle)

    assert page.status_code == 200
    assert "Join this circle" not in page.text
    assert "cannot join it again" in response.text
    assert Membership.objects.get(user=member).state == MembershipState.BANNED


def test_private_circles_cannot_be_joined_by_clicking(client, organizer, outsider):
    circle = make_circle(organizer, private=True)
    client.force_login(outsider)
    assert client.post(reverse("circles:circle-join", args=[circle.slug])).status_code == 404
    assert not Membership.objects.filter(user=outsider).exists()


def test_members_leave(client, organizer, member):
    circle = make_circle(organizer, name="Goodbye")
    circle.add_member(member)
    client.force_login(member)

    response = leave(client, circle)

    assert not Membership.objects.filter(user=member).exists()
    assert "You have left “Goodbye”." in response.text


def test_leaving_a_private_circle_lands_on_my_circles(client, organizer, member):
    circle = make_circle(organizer, private=True)
    circle.add_member(member)
    client.force_login(member)

    response = client.post(reverse("circles:circle-leave", args=[circle.slug]))

    assert response["Location"] == reverse("circles:my-circles")


def test_the_last_organizer_cannot_leave(client, organizer, member):
    circle = make_circle(organizer)
    circle.add_member(member)
    client.force_login(organizer)

    response = leave(client, circle)

    assert Membership.objects.get(user=organizer).role == Role.ORGANIZER
    assert "You are this circle’s only organizer" in response.text
    assert "before you leave" in response.text


def test_an_organizer_can_leave_once_another_organizer_exists(client, organizer, member):
    circle = make_circle(organizer)
    circle.add_member(member, Role.ORGANIZER)
    client.force_login(organizer)

    leave(client, circle)

    assert list(circle.memberships.values_list("user", flat=True)) == [member.pk]
