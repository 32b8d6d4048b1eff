"""Who may do what to a session: every session view, every kind of person, both visibilities."""

from __future__ import annotations

import pytest
from django.urls import reverse

from circles.models import Role
from tests.factories import make_circle, make_meeting, make_reading
from tests.permission_matrix import (
    EVERYONE,
    INSIDERS,
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
    people = everyone(
        organizer=organizer, moderator=moderator, member=member, outsider=outsider, staff=staff
    )
    return circles, meetings, people


SEE = Rule(EVERYONE, private=INSIDERS, login_required=False)
ORGANIZE = Rule(ORGANIZERS)

# (URL name, whether it names the session, who gets the page)
PAGES = [
    ("meeting", True, SEE),
    ("meeting-ics", True, SEE),
    ("meeting-edit", True, ORGANIZE),
    ("meeting-cancel", True, ORGANIZE),
    ("meeting-notes", True, ORGANIZE),
    ("meeting-create", False, ORGANIZE),
    ("meeting-plan", False, ORGANIZE),
]


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(("name", "of_session", "rule"), PAGES)
def test_who_opens_each_session_page(world, visibility, person, name, of_session, rule):
    circles, meetings, people = world
    args = [circles[visibility].slug] + ([meetings[visibility].pk] if of_session else [])
    response = client_as(people[person]).get(reverse(f"circles:{name}", args=args))
    assert outcome(response) == rule.expect(person, visibility)


def rsvps(meeting) -> set:
    return set(meeting.rsvps.values_list("user__email", "answer"))


def status(meeting) -> str:
    meeting.refresh_from_db()
    return meeting.status


# (URL name, what is posted, who may, what to look at, what it is once they did)
ACTIONS = [
    ("meeting-rsvp", {"answer": "going"}, MEMBERS, rsvps, lambda user: {(user.email, "going")}),
    ("meeting-cancel", {}, ORGANIZERS, status, lambda user: "cancelled"),
]


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(("name", "data", "allowed", "state", "done"), ACTIONS)
def test_only_members_rsvp_and_only_organizers_cancel(
    world, visibility, person, name, data, allowed, state, done
):
    circles, meetings, people = world
    meeting = meetings[visibility]
    before = state(meeting)
    url = reverse(f"circles:{name}", args=[circles[visibility].slug, meeting.pk])
    response = client_as(people[person]).post(url, data)
    rule = Rule(allowed, ok=302)
    assert outcome(response) == rule.expect(person, visibility)
    assert state(meeting) == (done(people[person]) if person in allowed else before)


@pytest.mark.parametrize("person", PEOPLE)
def test_circle_calendar_is_public_for_public_circles_only(world, person):
    circles, _, people = world
    client = client_as(people[person])
    public = client.get(reverse("circles:circle-calendar", args=[circles["public"].slug]))
    private = client.get(reverse("circles:circle-calendar", args=[circles["private"].slug]))
    assert public.status_code == 200
    assert private.status_code == 404


def test_a_banned_member_of_a_public_circle_cannot_rsvp(world, client):
    circles, meetings, people = world
    membership = circles["public"].memberships.get(user=people["member"])
    membership.state = "banned"
    membership.save()
    client.force_login(people["member"])
    url = reverse("circles:meeting-rsvp", args=[circles["public"].slug, meetings["public"].pk])
    assert client.post(url, {"answer": "going"}).status_code == 403


def test_the_forms_refuse_get_for_posts_only_views(world, client):
    circles, meetings, people = world
    client.force_login(people["member"])
    url = reverse("circles:meeting-rsvp", args=[circles["public"].slug, meetings["public"].pk])
    assert client.get(url).status_code == 405
