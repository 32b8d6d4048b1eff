"""Who may do what to a circle: every circle, member and invite view, every kind of person,
public and private circles. Outsiders get 404 for anything private; people who can see a
circle but lack the right get 403; anonymous visitors of login-only pages are sent to log in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from discussions.models import Invite, JoinRequest, Membership, MembershipState
from tests.discussions.circle_helpers import circle_with_roles
from tests.factories import make_user

PEOPLE = ["anonymous", "outsider", "member", "moderator", "organizer", "staff"]
LOGIN = "login"


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
    people = {
        "outsider": outsider,
        "member": member,
        "moderator": moderator,
        "organizer": organizer,
        "staff": staff,
    }
    return circles, targets, people


def client_for(person: str, people: dict) -> Client:
    client = Client()
    if person != "anonymous":
        client.force_login(people[person])
    return client


def expected(person, visibility, allowed, *, ok=200, login_required=True):
    if person in allowed:
        return ok
    if person == "anonymous" and login_required:
        return LOGIN
    if visibility == "private" and person in {"anonymous", "outsider"}:
        return 404
    return 403


def outcome(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return LOGIN
    return response.status_code


EVERYONE = set(PEOPLE)
INSIDERS = {"member", "moderator", "organizer", "staff"}
MEMBERS = {"member", "moderator", "organizer"}
ORGANIZERS = {"organizer"}


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
def test_who_sees_the_circle_home(world, person, visibility):
    circles, _, people = world
    url = reverse("discussions:circle", args=[circles[visibility].slug])
    allowed = EVERYONE if visibility == "public" else INSIDERS
    response = client_for(person, people).get(url)
    assert outcome(response) == expected(person, visibility, allowed, login_required=False)


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ["circle-edit", "members", "invites", "circle-reading-add"])
def test_only_organizers_open_the_organizer_pages(world, person, visibility, name):
    circles, _, people = world
    url = reverse(f"discussions:{name}", args=[circles[visibility].slug])
    response = client_for(person, people).get(url)
    assert outcome(response) == expected(person, visibility, ORGANIZERS)


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(
    ("name", "target", "data"),
    [
        ("member-role", "membership", {"role": "moderator"}),
        ("member-remove", "membership", {}),
        ("invite-revoke", "invite", {}),
        ("join-request-decide", "request", {"decision": "approve"}),
    ],
)
def test_only_organizers_change_members_invites_and_requests(
    world, person, visibility, name, target, data
):
    circles, targets, people = world
    url = reverse(
        f"discussions:{name}", args=[circles[visibility].slug, targets[visibility][target]]
    )
    response = client_for(person, people).post(url, data)
    assert outcome(response) == expected(person, visibility, ORGANIZERS, ok=302)


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
def test_only_members_can_leave(world, person, visibility):
    circles, _, people = world
    url = reverse("discussions:circle-leave", args=[circles[visibility].slug])
    response = client_for(person, people).post(url)
    assert outcome(response) == expected(person, visibility, MEMBERS, ok=302)


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
        url = reverse("discussions:circle-join", args=[circles[visibility].slug])
        assert outcome(client_for(person, people).post(url)) == status


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ["circle-list", "my-circles", "circle-create"])
def test_the_circle_directory_is_public_and_my_pages_need_a_login(world, person, name):
    _, _, people = world
    response = client_for(person, people).get(reverse(f"discussions:{name}"))
    if person == "anonymous" and name != "circle-list":
        assert outcome(response) == LOGIN
    else:
        assert response.status_code == 200


def test_outsiders_get_404_for_private_circles(world, client, outsider):
    circles, _, _ = world
    client.force_login(outsider)
    slug = circles["private"].slug
    for name in ["circle", "circle-edit", "members", "invites", "circle-reading-add"]:
        assert client.get(reverse(f"discussions:{name}", args=[slug])).status_code == 404


def test_staff_see_private_circles_but_are_not_organizers(world, client, staff):
    circles, _, _ = world
    client.force_login(staff)
    home = client.get(circles["private"].get_absolute_url())
    assert home.status_code == 200
    assert "Organizer tools" not in home.text
    assert (
        client.get(reverse("discussions:members", args=[circles["private"].slug])).status_code
        == 403
    )


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
    assert client.get(reverse("discussions:circle-create")).status_code == 403
