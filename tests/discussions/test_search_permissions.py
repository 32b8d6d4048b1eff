"""Search never shows what its searcher could not open: for every role, in a public and a
private circle, the circle's discussion search finds exactly the comments that role may read
(private notes only for their author, hidden comments only for the circle's moderators,
deleted ones for no one, a private circle's words for no outsider), and counts as folded only
those, too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from discussions.moderation import hide_comment
from discussions.services import delete_comment
from readings.models import Passage
from tests.factories import (
    NON_BMP_PHRASE,
    NON_BMP_TEXT,
    add_non_bmp_passage,
    make_margin,
    make_user,
)
from tests.permission_matrix import client_as

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "banned", "member", "moderator", "organizer", "staff"]
SHARED = {"alpha", "delta"}  # a thread on chapter 1, and one on chapter 3 (beyond the horizon)
NOTE = {"bravo"}  # the member's private note
HIDDEN = {"charlie", "echo"}  # hidden by a moderator: on chapter 1 and on chapter 3
DELETED = {"foxtrot"}  # deleted by its author (its quote, "then the whale", stays in the row)
ALL = SHARED | NOTE | HIDDEN | DELETED

FINDS = {
    "anonymous": SHARED,
    "outsider": SHARED,
    "banned": SHARED,
    "member": SHARED | NOTE,
    "moderator": SHARED | HIDDEN,
    "organizer": SHARED | HIDDEN,
    "staff": SHARED,
}
OUTSIDE_A_PRIVATE_CIRCLE = {"anonymous", "outsider", "banned"}


@pytest.fixture(params=["public", "private"])
def scene(request, organizer, moderator, member, outsider, staff) -> dict:
    margin = make_margin(organizer, moderator, member, private=request.param == "private")
    writer = make_user("wren.writer@example.org", display_name="Wren")
    margin.circle.add_member(writer)
    chapter_3 = Passage.objects.in_chapter(margin.reading.chapters.get(number=3)).first()
    margin.comment(organizer, "zebra alpha")
    margin.comment(member, "zebra bravo", is_private=True)
    hide_comment(margin.comment(writer, "zebra charlie"), moderator, "Rude")
    margin.comment(organizer, "zebra delta", passage=chapter_3)
    hide_comment(margin.comment(writer, "zebra echo", passage=chapter_3), moderator, "Rude")
    whale = add_non_bmp_passage(margin.circle)
    start = NON_BMP_TEXT.index(NON_BMP_PHRASE)
    gone = margin.comment(
        writer, "zebra foxtrot", passage=whale, start=start, end=start + len(NON_BMP_PHRASE)
    )
    delete_comment(gone)
    people = {
        "anonymous": None,
        "outsider": outsider,
        "banned": margin.banned,
        "member": member,
        "moderator": moderator,
        "organizer": organizer,
        "staff": staff,
    }
    return {"margin": margin, "people": people, "visibility": request.param}


def found(html: str) -> set[str]:
    return {word for word in ALL if f"<mark>zebra</mark> {word}" in html}


@pytest.mark.parametrize("role", ROLES)
def test_discussion_search_finds_exactly_what_each_role_may_read(scene, role):
    margin = scene["margin"]
    client = client_as(scene["people"][role])
    url = reverse("discussions:circle-search", args=[margin.circle.slug])
    response = client.get(url, {"q": "zebra", "spoilers": "show"})
    if scene["visibility"] == "private" and role in OUTSIDE_A_PRIVATE_CIRCLE:
        assert response.status_code == 404
        assert "zebra" not in response.text
        return
    assert response.status_code == 200
    assert found(response.text) == FINDS[role]
    # The deleted thread's quote stays in its row, and is found by no one.
    assert "No comment matches" in client.get(url, {"q": "whale"}).text


@pytest.mark.parametrize("role", ["member", "moderator", "organizer"])
def test_what_is_folded_is_counted_only_from_what_they_may_read(scene, role):
    margin = scene["margin"]
    url = reverse("discussions:circle-search", args=[margin.circle.slug])
    html = client_as(scene["people"][role]).get(url, {"q": "zebra"}).text
    # Chapter 3's threads, except those one wrote oneself (the organizer's "delta").
    beyond = {"member": {"delta"}, "moderator": {"delta", "echo"}, "organizer": {"echo"}}[role]
    assert found(html) == FINDS[role] - beyond
    assert f"{len(beyond)} result{'s' if len(beyond) > 1 else ''} in chapters" in html


@pytest.mark.parametrize("role", ROLES)
def test_a_private_circles_reading_search_is_its_members_alone(scene, role):
    margin = scene["margin"]
    url = reverse("discussions:reading-search", args=[margin.circle.slug, margin.reading.slug])
    response = client_as(scene["people"][role]).get(url, {"q": "word1x1"})
    hidden = scene["visibility"] == "private" and role in OUTSIDE_A_PRIVATE_CIRCLE
    assert response.status_code == (404 if hidden else 200)
