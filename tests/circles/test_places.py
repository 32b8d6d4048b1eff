"""Where the circle is: members choose whether to share their place (by default yes in a
private circle, no in a public one); the circle's home says where most of them are and what
the next session covers; the reading's contents say, per chapter, who has reached it. Only
members see any of it, and only the places of those who share."""

from __future__ import annotations

import pytest
from django.urls import reverse

from circles.models import Membership
from readings.models import ReadingProgress
from tests.factories import circle_with_roles, make_meeting, make_user
from tests.permission_matrix import LOGIN, client_as, everyone

pytestmark = pytest.mark.django_db


def read_to(user, reading, last: int) -> None:
    for chapter in reading.chapters.filter(number__lte=last).order_by("number"):
        ReadingProgress.advance(user, chapter)


def membership(circle, user) -> Membership:
    return Membership.objects.get(circle=circle, user=user)


def contents_url(margin) -> str:
    return reverse("discussions:circle-reading", args=[margin.circle.slug, margin.reading.slug])


@pytest.fixture
def readers(margin) -> list:
    """Three members who share their place, at chapters 2, 2 and 3."""
    people = []
    for n, last in enumerate((2, 2, 3)):
        person = make_user(display_name=f"Reader {'ABC'[n]}")
        margin.circle.add_member(person)
        Membership.objects.filter(circle=margin.circle, user=person).update(share_place=True)
        read_to(person, margin.reading, last)
        people.append(person)
    return people


@pytest.fixture
def private_circle(margin, organizer, moderator, member):
    """A private circle of the same people, reading the same book."""
    return circle_with_roles(organizer, moderator, member, private=True, readings=[margin.reading])


def test_public_circles_keep_places_private_and_private_circles_share_them(
    margin, private_circle, member
):
    assert membership(margin.circle, member).shares_place is False
    assert membership(private_circle, member).shares_place is True
    # …in SQL as in Python.
    sharing = Membership.objects.sharing_place().filter(user=member)
    assert list(sharing.values_list("circle", flat=True)) == [private_circle.pk]


def test_the_home_says_where_most_members_are_and_what_comes_next(margin, member, readers):
    make_meeting(margin.circle, margin.reading, first=3, last=3)
    html = client_as(member).get(margin.circle.get_absolute_url()).text
    assert "Most of you are in chapter 2; the next session covers chapter 3." in html
    assert "2 of the 3 members who share their place in The Margins." in html


def test_a_session_over_several_chapters_is_a_range(margin, member, readers):
    make_meeting(margin.circle, margin.reading, first=2, last=3)
    html = client_as(member).get(margin.circle.get_absolute_url()).text
    assert "the next session covers 2–3." in html


def test_places_not_shared_do_not_count(margin, member, readers):
    read_to(member, margin.reading, 3)  # Mina does not share (a public circle)
    Membership.objects.filter(user=readers[2]).update(share_place=False)
    html = client_as(member).get(margin.circle.get_absolute_url()).text
    assert "Most of you are in chapter 2." in html
    assert "2 of the 2 members who share their place" in html


def test_nobody_sharing_says_so(margin, member):
    html = client_as(member).get(margin.circle.get_absolute_url()).text
    assert "Nobody shares their place in The Margins yet." in html


def test_only_members_see_where_the_circle_is(margin, readers, outsider):
    for who in (None, outsider):
        html = client_as(who).get(margin.circle.get_absolute_url()).text
        assert "Where the circle is" not in html
        contents = client_as(who).get(contents_url(margin)).text
        assert "Reached by" not in contents and "Reader A" not in contents


def test_the_contents_say_who_has_reached_each_chapter(margin, member, readers):
    html = client_as(member).get(contents_url(margin)).text
    assert html.count("Reached by 3 members") == 2  # chapters 1 and 2
    assert "Reached by 1 member<" in html  # chapter 3
    # The names, alphabetical, in the text (a screen reader reads them without hovering).
    names = '<span class="visually-hidden">: </span>Reader A, Reader B, Reader C</span>'
    assert f'<span class="reach__who">{names}' in html
    assert 'tabindex="0" data-reach' in html


def test_a_peek_ahead_counts_that_chapter_only(margin, member):
    Membership.objects.filter(user=member).update(share_place=True)
    ReadingProgress.advance(member, margin.reading.chapters.get(number=3))
    html = client_as(member).get(contents_url(margin)).text
    assert html.count("Reached by 1 member<") == 1


def test_the_contents_page_is_within_its_query_budget(
    margin, member, readers, django_assert_max_num_queries
):
    client = client_as(member)
    client.get(contents_url(margin))
    # The request's own, the reading, its chapters, my place, who reached what, the next
    # session, the circle's places, comments per chapter, threads whose text changed.
    with django_assert_max_num_queries(13):
        assert client.get(contents_url(margin)).status_code == 200


# --- sharing, and stopping -------------------------------------------------------------------


def test_a_member_shares_their_place_and_stops(client, margin, member, readers):
    client.force_login(member)
    read_to(member, margin.reading, 3)
    url = reverse("circles:place-sharing", args=[margin.circle.slug])
    page = client.get(margin.circle.get_absolute_url()).text
    assert (
        "You don’t share your place: in a public circle, it stays yours until you choose." in page
    )
    response = client.post(url, {"share": "yes", "next": contents_url(margin)})
    assert response["Location"] == contents_url(margin)
    assert membership(margin.circle, member).share_place is True
    contents = client.get(contents_url(margin)).text
    assert "Reached by 4 members" in contents and "Mina" in contents
    assert "You share your place with the circle’s members." in contents
    client.post(url, {"share": "no"})
    assert membership(margin.circle, member).share_place is False
    assert "Reached by 4 members" not in client.get(contents_url(margin)).text


def test_a_private_circles_member_may_stop_sharing(client, private_margin, member):
    client.force_login(member)
    read_to(member, private_margin.reading, 2)
    home = client.get(private_margin.circle.get_absolute_url()).text
    assert "The one member who shares their place is in chapter 2." in home
    url = reverse("circles:place-sharing", args=[private_margin.circle.slug])
    client.post(url, {"share": "no"})
    home = client.get(private_margin.circle.get_absolute_url()).text
    assert "Nobody shares their place in The Margins yet." in home


def test_an_unclear_answer_changes_nothing(client, margin, member):
    client.force_login(member)
    url = reverse("circles:place-sharing", args=[margin.circle.slug])
    response = client.post(url, {"share": "maybe"}, follow=True)
    assert "Choose whether to share your place or not." in response.text
    assert membership(margin.circle, member).share_place is None


def test_it_goes_back_only_to_this_site(client, margin, member):
    client.force_login(member)
    url = reverse("circles:place-sharing", args=[margin.circle.slug])
    response = client.post(url, {"share": "yes", "next": "https://evil.example/"})
    assert response["Location"] == margin.circle.get_absolute_url()


@pytest.mark.parametrize(
    ("who", "public", "private"),
    [
        ("anonymous", LOGIN, LOGIN),
        ("outsider", 403, 404),
        ("staff", 403, 403),
        ("member", 302, 302),
        ("moderator", 302, 302),
        ("organizer", 302, 302),
    ],
)
def test_sharing_permission_rows(
    who, public, private, margin, private_circle, organizer, moderator, member, outsider, staff
):
    people = everyone(
        organizer=organizer, moderator=moderator, member=member, outsider=outsider, staff=staff
    )
    for circle, expected in ((margin.circle, public), (private_circle, private)):
        url = reverse("circles:place-sharing", args=[circle.slug])
        response = client_as(people[who]).post(url, {"share": "yes"})
        if expected == LOGIN:
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == expected


def test_sharing_is_a_post(client, margin, member):
    client.force_login(member)
    url = reverse("circles:place-sharing", args=[margin.circle.slug])
    assert client.get(url).status_code == 405


def test_the_download_says_whether_i_share_my_place_and_fold(client, margin, member):
    Membership.objects.filter(user=member).update(share_place=True)
    client.force_login(member)
    data = client.get(reverse("accounts:data-export")).json()
    assert [(m["circle"], m["shares_place"]) for m in data["memberships"]] == [
        ("Public Readers", True)
    ]
    assert data["profile"]["spoilers"] == "circle"
