"""Organizers see who takes part in a session — who answered whether they are coming, who has
not yet, who wrote in the margins of its chapters — as names in alphabetical order, nothing
counted or ranked; nobody else sees it. And "My circles" tells moderators of open flags."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from circles.models import RSVPAnswer
from discussions.models import FlagReason
from discussions.moderation import flag_comment, hide_comment
from readings.models import Passage
from tests.factories import make_circle, make_meeting, make_user
from tests.permission_matrix import client_as, everyone

pytestmark = pytest.mark.django_db


def passage_of(margin, number: int) -> Passage:
    return Passage.objects.in_chapter(margin.reading.chapters.get(number=number)).first()


@pytest.fixture
def session(margin, organizer, moderator, member):
    """A session on chapter 2: Mina and Zed wrote there (and Max on chapter 1 only); Max is
    going, Olive can't; Mina and Zed have not answered."""
    zed = make_user(display_name="zed")
    margin.circle.add_member(zed)
    meeting = make_meeting(margin.circle, margin.reading, first=2, last=2)
    margin.comment(zed, "Late thought.", passage=passage_of(margin, 2))
    margin.comment(member, "On two.", passage=passage_of(margin, 2))
    margin.comment(member, "Again on two.", passage=passage_of(margin, 2))
    margin.comment(moderator, "On one.", passage=passage_of(margin, 1))
    meeting.answer_rsvp(moderator, RSVPAnswer.GOING)
    meeting.answer_rsvp(organizer, RSVPAnswer.NO)
    return meeting


def taking_part(html: str) -> dict[str, str]:
    card = html.split('id="participation-heading"', 1)[1].split("</section>", 1)[0]
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", card, re.S)
    return {term: re.sub(r"<[^>]+>", "", value).strip() for term, value in pairs}


def test_organizers_see_who_takes_part(session, organizer):
    html = client_as(organizer).get(session.get_absolute_url()).text
    assert taking_part(html) == {
        "Answered whether they’re coming": "Going: Max; Can’t go: Olive",
        "Haven’t answered yet": "Mina, zed",
        "Wrote in the margins of these chapters": "Mina, zed",
    }
    assert "nothing counted or ranked" in html


def test_private_notes_hidden_comments_and_former_members_do_not_count(
    session, margin, organizer, moderator, member
):
    bob = make_user(display_name="Bob")
    margin.circle.add_member(bob)
    margin.comment(bob, "Only for me.", passage=passage_of(margin, 2), is_private=True)
    gone = make_user(display_name="Gus")
    margin.circle.add_member(gone)
    margin.comment(gone, "I was here.", passage=passage_of(margin, 2))
    margin.circle.leave(gone)
    ugly = make_user(display_name="Ugo")
    margin.circle.add_member(ugly)
    hide_comment(margin.comment(ugly, "Rude.", passage=passage_of(margin, 2)), moderator, "No.")
    html = client_as(organizer).get(session.get_absolute_url()).text
    assert taking_part(html)["Wrote in the margins of these chapters"] == "Mina, zed"


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member", "moderator", "staff"])
def test_nobody_else_sees_it(session, who, organizer, moderator, member, outsider, staff):
    people = everyone(
        organizer=organizer, moderator=moderator, member=member, outsider=outsider, staff=staff
    )
    html = client_as(people[who]).get(session.get_absolute_url()).text
    assert "Taking part" not in html and "Wrote in the margins" not in html


def test_nobody_yet(margin, organizer):
    meeting = make_meeting(margin.circle, margin.reading, first=3, last=3)
    parts = taking_part(client_as(organizer).get(meeting.get_absolute_url()).text)
    assert parts["Answered whether they’re coming"] == "Nobody yet"
    assert parts["Wrote in the margins of these chapters"] == "Nobody yet"


# --- My circles: open flags for those who moderate -------------------------------------------

MINE = reverse("circles:my-circles")


@pytest.fixture
def flags(margin, member, organizer):
    comment = margin.comment(organizer, "Tickets for sale.")
    for _ in range(2):
        reporter = make_user()
        margin.circle.add_member(reporter)
        flag_comment(comment, reporter, FlagReason.SPAM)
    flag_comment(comment, member, FlagReason.SPAM)  # three flags, on one comment
    return comment


def test_my_circles_shows_open_flags_to_moderators_and_organizers(
    flags, margin, moderator, organizer, member
):
    url = reverse("discussions:moderation", args=[margin.circle.slug])
    for person in (moderator, organizer):
        html = client_as(person).get(MINE).text
        assert (
            f'<a href="{url}">3 open flags<span class="visually-hidden"> in Public Readers' in html
        )
    assert "open flag" not in client_as(member).get(MINE).text


def test_no_open_flags_no_line(margin, moderator):
    assert "open flag" not in client_as(moderator).get(MINE).text


def test_the_counts_of_every_moderated_circle_cost_one_query(
    flags, margin, moderator, organizer, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        other = make_circle(organizer, name=f"Circle {n}")
        other.add_member(moderator, "moderator")
    client = client_as(moderator)
    client.get(MINE)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(MINE).text
    assert html.count("open flag") == 1
    assert len([q for q in queries if "discussions_flag" in q["sql"]]) == 1
