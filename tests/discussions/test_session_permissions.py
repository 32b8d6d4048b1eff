"""Who may do what to a session: every session view, every kind of person, both visibilities."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from discussions.models import Role
from tests.factories import make_circle, make_meeting, make_reading

PEOPLE = ["anonymous", "outsider", "member", "moderator", "organizer", "staff"]


@pytest.fixture
def world(request, organizer, moderator, member, outsider, staff):
    reading = make_reading(chapters=4)
    circles = {
        "public": make_circle(organizer, name="Open Readers", readings=[reading]),
        "private": make_circle(organizer, name="Quiet Readers", private=True, readings=[reading]),
    }
    meetings = {}
    for key, circle in circles.items():
        circle.add_member(moderator, Role.MODERATOR)
        circle.add_member(member)
        meetings[key] = make_meeting(circle, reading, first=1, last=2)
    people = {
        "outsider": outsider,
        "member": member,
        "moderator": moderator,
        "organizer": organizer,
        "staff": staff,
    }
    return circles, meetings, people


def client_for(person: str, people: dict) -> Client:
    client = Client()
    if person != "anonymous":
        client.force_login(people[person])
    return client


def expected(person: str, visibility: str, allowed: set[str], *, login_required: bool) -> int:
    if person in allowed:
        return 200
    if person == "anonymous" and login_required:
        return 302
    if visibility == "private" and person in {"anonymous", "outsider"}:
        return 404
    return 403


SEE = {"anonymous", "outsider", "member", "moderator", "organizer", "staff"}
SEE_PRIVATE = {"member", "moderator", "organizer", "staff"}
ORGANIZE = {"organizer"}


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ["session", "session-ics"])
def test_who_sees_a_session_and_its_ics(world, visibility, person, name):
    circles, meetings, people = world
    meeting = meetings[visibility]
    url = reverse(f"discussions:{name}", args=[circles[visibility].slug, meeting.pk])
    allowed = SEE if visibility == "public" else SEE_PRIVATE
    response = client_for(person, people).get(url)
    assert response.status_code == expected(person, visibility, allowed, login_required=False)


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ["session-edit", "session-cancel", "session-notes"])
def test_only_organizers_open_the_session_forms(world, visibility, person, name):
    circles, meetings, people = world
    url = reverse(f"discussions:{name}", args=[circles[visibility].slug, meetings[visibility].pk])
    response = client_for(person, people).get(url)
    assert response.status_code == expected(person, visibility, ORGANIZE, login_required=True)


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ["session-create", "session-plan"])
def test_only_organizers_create_and_plan_sessions(world, visibility, person, name):
    circles, _, people = world
    url = reverse(f"discussions:{name}", args=[circles[visibility].slug])
    response = client_for(person, people).get(url)
    assert response.status_code == expected(person, visibility, ORGANIZE, login_required=True)


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
def test_only_members_rsvp(world, visibility, person):
    circles, meetings, people = world
    meeting = meetings[visibility]
    url = reverse("discussions:session-rsvp", args=[circles[visibility].slug, meeting.pk])
    response = client_for(person, people).post(url, {"answer": "going"})
    members = {"member", "moderator", "organizer"}
    if person in members:
        assert response.status_code == 302
        assert meeting.rsvps.filter(user=people[person], answer="going").exists()
    else:
        assert response.status_code == expected(person, visibility, set(), login_required=True)
        assert not meeting.rsvps.exists()


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
def test_only_organizers_cancel(world, visibility, person):
    circles, meetings, people = world
    meeting = meetings[visibility]
    url = reverse("discussions:session-cancel", args=[circles[visibility].slug, meeting.pk])
    response = client_for(person, people).post(url)
    meeting.refresh_from_db()
    if person == "organizer":
        assert response.status_code == 302
        assert meeting.is_cancelled
    else:
        assert response.status_code == expected(person, visibility, set(), login_required=True)
        assert not meeting.is_cancelled


@pytest.mark.parametrize("person", PEOPLE)
def test_circle_calendar_is_public_for_public_circles_only(world, person):
    circles, _, people = world
    client = client_for(person, people)
    public = client.get(reverse("discussions:circle-calendar", args=[circles["public"].slug]))
    private = client.get(reverse("discussions:circle-calendar", args=[circles["private"].slug]))
    assert public.status_code == 200
    assert private.status_code == 404


def test_a_banned_member_of_a_public_circle_cannot_rsvp(world, client):
    circles, meetings, people = world
    membership = circles["public"].memberships.get(user=people["member"])
    membership.state = "banned"
    membership.save()
    client.force_login(people["member"])
    url = reverse("discussions:session-rsvp", args=[circles["public"].slug, meetings["public"].pk])
    assert client.post(url, {"answer": "going"}).status_code == 403


def test_the_forms_refuse_get_for_posts_only_views(world, client):
    circles, meetings, people = world
    client.force_login(people["member"])
    url = reverse("discussions:session-rsvp", args=[circles["public"].slug, meetings["public"].pk])
    assert client.get(url).status_code == 405
