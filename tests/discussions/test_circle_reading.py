"""A circle's readings open in the circle: the home links to each reading's contents in the
circle's context, whose chapters open with the circle's margins; public circles offer their
calendar to subscribe to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from discussions.services import post_comment
from readings.models import ReadingProgress
from tests.factories import circle_with_roles, make_circle, make_reading


@pytest.fixture
def reading(db):
    return make_reading("Walden", chapters=3)


@pytest.fixture
def public(organizer, moderator, member, reading):
    return circle_with_roles(organizer, moderator, member, readings=[reading])


@pytest.fixture
def private(organizer, moderator, member, reading):
    return circle_with_roles(organizer, moderator, member, private=True, readings=[reading])


def contents_url(circle, reading) -> str:
    return reverse("discussions:circle-reading", args=[circle.slug, reading.slug])


def chapter_url(circle, reading, number: int) -> str:
    return reverse("discussions:circle-chapter", args=[circle.slug, reading.slug, number])


def test_the_home_links_each_reading_into_the_circle(client, public, reading):
    page = client.get(public.get_absolute_url()).text
    assert f'<a href="{contents_url(public, reading)}">Walden</a>' in page
    assert f'href="{reading.get_absolute_url()}"' not in page


def test_the_contents_link_every_chapter_to_the_circles_reader(client, public, reading):
    response = client.get(contents_url(public, reading))
    assert response.status_code == 200
    for number in (1, 2, 3):
        assert f'href="{chapter_url(public, reading, number)}"' in response.text
    assert f'href="{reading.get_absolute_url()}' not in response.text
    assert "Each chapter opens in the circle" in response.text
    assert f'<a href="{public.get_absolute_url()}">Public Readers</a>' in response.text


def test_the_contents_count_the_comments_in_each_chapter(client, public, reading, member):
    passage = reading.chapters.get(number=2).passages.first()
    post_comment(circle=public, passage=passage, author=member, body="A first thought")
    post_comment(circle=public, passage=passage, author=member, body="Mine", is_private=True)
    page = client.get(contents_url(public, reading)).text
    # Chapter 2 counts the shared comment, not the private note; the others count none.
    assert page.count(" comment</span>") + page.count(" comments</span>") == 1
    assert " · 1 comment</span>" in page


def test_continue_reading_opens_the_chapter_in_the_circle(client, public, reading, member):
    ReadingProgress.objects.create(
        user=member, reading=reading, chapter=reading.chapters.get(number=2)
    )
    client.force_login(member)
    page = client.get(contents_url(public, reading)).text
    assert f'<a class="button" href="{chapter_url(public, reading, 2)}"' in page
    assert "where you left off in chapter 2" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 404), ("outsider", 404), ("member", 200), ("organizer", 200), ("staff", 200)],
)
def test_a_private_circles_contents_are_for_its_members(
    client, private, reading, request, who, status
):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(contents_url(private, reading)).status_code == status


def test_a_reading_the_circle_does_not_read_is_404(client, public):
    other = make_reading("Elsewhere")
    assert client.get(contents_url(public, other)).status_code == 404


def test_public_circles_offer_their_calendar_and_private_ones_do_not(
    client, public, private, member
):
    feed = reverse("circles:circle-calendar", args=[public.slug])
    page = client.get(public.get_absolute_url()).text
    assert f'<a href="webcal://testserver{feed}">Subscribe to the circle’s calendar</a>' in page
    assert f'<a href="{feed}">the feed itself (.ics)</a>' in page
    assert f'value="http://testserver{feed}"' in page
    assert client.get(feed).status_code == 200
    client.force_login(member)
    page = client.get(private.get_absolute_url()).text
    assert "calendar.ics" not in page
    assert "Subscribe to" not in page


def test_a_circle_without_readings_says_so(client, organizer):
    circle = make_circle(organizer, name="Empty Shelf")
    assert "No reading chosen yet." in client.get(circle.get_absolute_url()).text
