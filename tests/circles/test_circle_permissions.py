"""Who may do what to a circle: every circle, member and invite view, every kind of person,
public and private circles. Outsiders get 404 for anything private; people who can see a
circle but lack the right get 403; anonymous visitors of login-only pages are sent to log in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from circles.models import Invite, JoinRequest, Membership, MembershipState
from tests.factories import circle_with_roles, make_user
from tests.permission_matrix import (
    EVERYONE,
    INSIDERS,
    LOGIN,
    MEMBERS,
    ORGANIZERS,
    PEOPLE,
    Rule,
    client_as,
    everyone,
    outcome,
)


@pytest.fixture
def world(organizer, moderator, member, outsider, staff):
    circles = {
        "public": circle_with_roles(organizer, moderator, member),
        "private": circle_with_roles(organizer, moderator, member, private=True),
    }
    targets = {}
    for key, circle in circles.items():
        asker = make_user(f"asker-{key}@example.org")
        targets[key] = {
            "membership": Membership.objects.get(circle=circle, user=member).pk,
            "invite": Invite.create_for(circle, organizer).pk,
            "request": JoinRequest.objects.create(circle=circle, user=asker).pk,
        }
    people = everyone(
        organizer=organizer, moderator=moderator, member=member, outsider=outsider, staff=staff
    )
    return circles, targets, people


# (URL name, who gets the page)
PAGES = [
    ("circle", Rule(EVERYONE, private=INSIDERS, login_required=False)),
    ("circle-edit", Rule(ORGANIZERS)),
    ("members", Rule(ORGANIZERS)),
    ("invites", Rule(ORGANIZERS)),
    ("circle-reading-add", Rule(ORGANIZERS)),
]


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(("name", "rule"), PAGES)
def test_who_opens_the_circle_home_and_the_organizer_pages(world, person, visibility, name, rule):
    circles, _, people = world
    url = reverse(f"circles:{name}", args=[circles[visibility].slug])
    response = client_as(people[person]).get(url)
    assert outcome(response) == rule.expect(person, visibility)


# (URL name, what it acts on, what is posted, who may)
ACTIONS = [
    ("member-role", "membership", {"role": "moderator"}, ORGANIZERS),
    ("member-remove", "membership", {}, ORGANIZERS),
    ("invite-revoke", "invite", {}, ORGANIZERS),
    ("join-request-decide", "request", {"decision": "approve"}, ORGANIZERS),
    ("circle-leave", None, {}, MEMBERS),
]


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(("name", "target", "data", "allowed"), ACTIONS)
def test_only_organizers_change_members_invites_and_requests_and_only_members_leave(
    world, person, visibility, name, target, data, allowed
):
    circles, targets, people = world
    args = [circles[visibility].slug] + ([targets[visibility][target]] if target else [])
    response = client_as(people[person]).post(reverse(f"circles:{name}", args=args), data)
    assert outcome(response) == Rule(allowed, ok=302).expect(person, visibility)


@pytest.mark.parametrize(
    ("person", "public", "private"),
    [
        ("anonymous", LOGIN, 404),
        ("outsider", 302, 404),
        ("member", 302, 302),
        ("organizer", 302, 302),
        ("staff", 302, 403),
    ],
)
def test_who_can_press_join(world, person, public, private):
    circles, _, people = world
    for visibility, status in [("public", public), ("private", private)]:
        url = reverse("circles:circle-join", args=[circles[visibility].slug])
        assert outcome(client_as(people[person]).post(url)) == status


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ["circle-list", "my-circles", "circle-create"])
def test_the_circle_directory_is_public_and_my_pages_need_a_login(world, person, name):
    _, _, people = world
    response = client_as(people[person]).get(reverse(f"circles:{name}"))
    if person == "anonymous" and name != "circle-list":
        assert outcome(response) == LOGIN
    else:
        assert response.status_code == 200


def test_outsiders_get_404_for_private_circles(world, client, outsider):
    circles, _, _ = world
    client.force_login(outsider)
    slug = circles["private"].slug
    for name in ["circle", "circle-edit", "members", "invites", "circle-reading-add"]:
        assert client.get(reverse(f"circles:{name}", args=[slug])).status_code == 404


def test_staff_see_private_circles_but_are_not_organizers(world, client, staff):
    circles, _, _ = world
    client.force_login(staff)
    home = client.get(circles["private"].get_absolute_url())
    assert home.status_code == 200
    assert "Organizer tools" not in home.text
    assert client.get(reverse("circles:members", args=[circles["private"].slug])).status_code == 403


@pytest.mark.parametrize(("visibility", "status"), [("public", 200), ("private", 404)])
def test_a_ban_hides_a_private_circle_but_not_a_public_one(
    world, client, member, visibility, status
):
    circles, _, _ = world
    Membership.objects.filter(user=member).update(state=MembershipState.BANNED)
    client.force_login(member)
    assert client.get(circles[visibility].get_absolute_url()).status_code == status


def test_an_unverified_person_cannot_start_a_circle(db, client):
    client.force_login(make_user("new@example.org", verified=False))
    assert client.get(reverse("circles:circle-create")).status_code == 403
