"""Organizers change roles and remove members; a circle always keeps an organizer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from circles.models import Membership, Role
from tests.factories import circle_with_roles


@pytest.fixture
def circle(organizer, moderator, member):
    return circle_with_roles(organizer, moderator, member)


def role_url(circle, user):
    membership = Membership.objects.get(circle=circle, user=user)
    return reverse("circles:member-role", args=[circle.slug, membership.pk])


def remove_url(circle, user):
    membership = Membership.objects.get(circle=circle, user=user)
    return reverse("circles:member-remove", args=[circle.slug, membership.pk])


def role_of(circle, user) -> str:
    return Membership.objects.get(circle=circle, user=user).role


def test_the_members_page_lists_members_with_their_roles(client, circle, organizer):
    client.force_login(organizer)
    text = client.get(reverse("circles:members", args=[circle.slug])).text
    assert "3 members" in text
    assert text.index("Olive") < text.index("Max") < text.index("Mina")


def test_organizers_change_a_members_role(client, circle, organizer, member):
    client.force_login(organizer)

    response = client.post(role_url(circle, member), {"role": "moderator"}, follow=True)

    assert role_of(circle, member) == Role.MODERATOR
    assert "Mina is now Moderator." in response.text


def test_a_role_change_by_htmx_swaps_only_that_members_row(client, circle, organizer, member):
    client.force_login(organizer)
    membership = Membership.objects.get(circle=circle, user=member)

    response = client.post(
        role_url(circle, member), {"role": "organizer"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<li class="member-row" id="member-{membership.pk}"')
    assert "<html" not in response.text
    assert "Mina is now organizer." in response.text
    assert role_of(circle, member) == Role.ORGANIZER


def test_an_unknown_role_is_refused_with_a_message(client, circle, organizer, member):
    client.force_login(organizer)

    response = client.post(
        role_url(circle, member), {"role": "king"}, headers={"HX-Request": "true"}
    )

    assert "Choose organizer, moderator or member." in response.text
    assert role_of(circle, member) == Role.MEMBER


def test_the_last_organizer_cannot_step_down(client, circle, organizer):
    client.force_login(organizer)

    response = client.post(role_url(circle, organizer), {"role": "member"}, follow=True)

    assert role_of(circle, organizer) == Role.ORGANIZER
    assert (
        "only organizer" in response.text
        and "Make someone else an organizer first" in response.text
    )


def test_an_organizer_who_steps_down_is_sent_to_the_circle(client, circle, organizer, member):
    circle.memberships.filter(user=member).update(role=Role.ORGANIZER)
    client.force_login(organizer)

    response = client.post(role_url(circle, organizer), {"role": "member"})

    assert response["Location"] == circle.get_absolute_url()
    assert role_of(circle, organizer) == Role.MEMBER


def test_organizers_remove_members(client, circle, organizer, member):
    client.force_login(organizer)

    response = client.post(remove_url(circle, member), follow=True)

    assert not circle.memberships.filter(user=member).exists()
    assert "Mina is no longer a member." in response.text


def test_the_last_organizer_cannot_be_removed(client, circle, organizer):
    client.force_login(organizer)

    response = client.post(remove_url(circle, organizer), follow=True)

    assert circle.memberships.filter(user=organizer).exists()
    assert "cannot be removed" in response.text


def test_memberships_of_other_circles_are_not_found(client, circle, organizer, outsider):
    from tests.factories import make_circle

    other = make_circle(outsider, name="Elsewhere")
    client.force_login(organizer)
    elsewhere = Membership.objects.get(circle=other).pk

    url = reverse("circles:member-remove", args=[circle.slug, elsewhere])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=elsewhere).exists()
