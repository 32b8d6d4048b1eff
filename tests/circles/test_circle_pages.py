"""The directory, "my circles" and a circle's home: what they show, and in how many queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from circles.models import MeetingStatus, Role
from tests.factories import circle_with_roles, make_circle, make_meeting, make_reading, make_user


def test_private_circles_are_never_listed_for_outsiders(client, organizer, outsider, staff):
    make_circle(organizer, name="Open Book Club")
    make_circle(organizer, name="Secret Society", private=True)

    for person in [None, outsider, staff, organizer]:
        if person:
            client.force_login(person)
        text = client.get(reverse("circles:circle-list")).text
        assert "Open Book Club" in text
        assert "Secret Society" not in text


def test_my_circles_lists_mine_with_each_next_session_in_few_queries(
    client, organizer, member, django_assert_max_num_queries
):
    reading = make_reading(chapters=3)
    circles = [make_circle(organizer, name=f"Circle {n}", readings=[reading]) for n in range(5)]
    for n, circle in enumerate(circles):
        circle.add_member(member)
        make_meeting(circle, reading, title=f"Later {n}", starts_at=timezone.now() + timedelta(9))
        make_meeting(circle, reading, title=f"Soon {n}", starts_at=timezone.now() + timedelta(2))
        make_meeting(circle, reading, title=f"Gone {n}", starts_at=timezone.now() - timedelta(9))
    make_circle(organizer, name="Not Mine")
    client.force_login(member)
    client.get("/")  # the first request after logging in records the device; leave it out

    # 7 are every signed-in request's (session, user, allauth's device tracking); 3 are the page's.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("circles:my-circles"))

    assert "Not Mine" not in response.text
    for n in range(5):
        assert f"Circle {n}" in response.text
        assert f"Soon {n}" in response.text
        assert f"Later {n}" not in response.text
        assert f"Gone {n}" not in response.text


def test_my_circles_skips_cancelled_sessions(client, organizer):
    circle = make_circle(organizer)
    make_meeting(circle, title="Called off", status=MeetingStatus.CANCELLED)
    client.force_login(organizer)
    text = client.get(reverse("circles:my-circles")).text
    assert "Called off" not in text
    assert "No session scheduled." in text


def test_the_home_shows_what_to_read_now_the_schedule_and_the_members(client, organizer, member):
    reading = make_reading("The Long Essay", chapters=4)
    circle = make_circle(organizer, name="Essayists", readings=[reading])
    circle.add_member(member)
    make_meeting(circle, reading, first=1, title="Opening", starts_at=timezone.now() - timedelta(7))
    middle = make_meeting(circle, reading, first=2, last=3, title="Middle part")
    client.force_login(member)

    response = client.get(circle.get_absolute_url())

    text = response.text
    assert "Chapter 2 – Chapter 3" in text
    # Chapters open in the circle's reader, with its margins.
    chapter_url = reverse("discussions:circle-chapter", args=[circle.slug, reading.slug, 2])
    assert f'href="{chapter_url}"' in text
    assert f'href="{middle.get_absolute_url()}"' in text
    assert "Opening" in text and "Past sessions" in text
    assert "Mina" in text and "Olive" in text
    assert "Organizer tools" not in text
    assert "Leave the circle" in text


def test_organizers_see_their_tools_on_the_home(client, organizer):
    circle = make_circle(organizer)
    client.force_login(organizer)
    text = client.get(circle.get_absolute_url()).text
    for name in ["circle-edit", "members", "invites", "circle-reading-add", "meeting-create"]:
        assert reverse(f"circles:{name}", args=[circle.slug]) in text
    assert reverse("circles:meeting-plan", args=[circle.slug]) in text


def test_the_last_organizers_leave_opens_the_hand_over_step_instead_of_leaving(client, organizer):
    circle = make_circle(organizer)
    client.force_login(organizer)
    page = client.get(circle.get_absolute_url()).text
    # No standing banner: the explanation sits inside the closed Leave disclosure.
    start = page.index('<details class="leave-hint">')
    hint = page[start : page.index("</details>", start)]
    assert '<summary class="button button--quiet">Leave the circle</summary>' in hint
    assert "You are the only organizer" in hint
    assert reverse("circles:members", args=[circle.slug]) in hint
    assert page.count("You are the only organizer") == 1
    assert reverse("circles:circle-leave", args=[circle.slug]) not in page


def leave_disclosure(page: str) -> str:
    start = page.index('<details class="leave-hint">')
    return page[start : page.index("</details>", start)]


def test_an_organizer_with_a_co_organizer_confirms_leaving_inside_the_disclosure(
    client, organizer, member
):
    circle = make_circle(organizer)
    circle.add_member(member, Role.ORGANIZER)
    client.force_login(organizer)
    page = client.get(circle.get_absolute_url()).text
    hint = leave_disclosure(page)
    assert f'action="{reverse("circles:circle-leave", args=[circle.slug])}"' in hint
    assert "Leave “Tuesday Readers”</button>" in hint
    assert "You are the only organizer" not in page


@pytest.mark.parametrize(("private", "warned"), [(False, False), (True, True)])
def test_leaving_a_private_circle_warns_that_coming_back_needs_an_invitation(
    client, organizer, member, private, warned
):
    circle = make_circle(organizer, private=private)
    circle.add_member(member)
    client.force_login(member)
    hint = leave_disclosure(client.get(circle.get_absolute_url()).text)
    assert "You will no longer get its session emails" in hint
    assert ("you will need a new invitation" in hint) == warned


def test_visitors_of_a_public_circle_are_offered_to_log_in_and_join(client, organizer):
    circle = make_circle(organizer)
    text = client.get(circle.get_absolute_url()).text
    assert "Log in to join" in text
    assert f"?next={circle.get_absolute_url()}" in text.replace("%2F", "/")


@pytest.mark.parametrize("size", [3, 30])
def test_the_home_query_count_does_not_grow_with_members_or_sessions(
    client, organizer, moderator, member, size, django_assert_max_num_queries
):
    reading = make_reading(chapters=4)
    circle = circle_with_roles(organizer, moderator, member, readings=[reading])
    for n in range(size):
        circle.add_member(make_user(f"extra{n}@example.org"), Role.MEMBER)
        starts_at = timezone.now() + timedelta(days=n - size // 2)
        make_meeting(circle, reading, first=1 + n % 4, starts_at=starts_at)
    client.force_login(member)
    client.get("/")  # the first request after logging in records the device; leave it out

    # 7 are every signed-in request's (session, user, allauth's device tracking); 8 the page's
    # (the viewer's place to continue and the circle's place are one query each).
    with django_assert_max_num_queries(15):
        response = client.get(circle.get_absolute_url())

    upcoming, past = size - size // 2, size // 2
    assert response.text.count('class="schedule__item') == upcoming + min(past, 10)


@pytest.mark.parametrize(
    ("role", "says"),
    [
        (Role.ORGANIZER, "You are an organizer"),
        (Role.MODERATOR, "You are a moderator"),
        (Role.MEMBER, "You are a member"),
    ],
)
def test_the_home_says_which_role_you_have(client, organizer, member, role, says):
    circle = make_circle(organizer)
    circle.add_member(member, role)
    client.force_login(member)
    assert says in client.get(circle.get_absolute_url()).text
