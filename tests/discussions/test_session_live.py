"""The live margin of a session: on while the session is on (or switched on), its poll
answered 304 while nothing changed on the session's chapters, and who may poll."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from discussions.moderation import hide_comment
from tests.factories import Margin, make_meeting
from tests.permission_matrix import client_as, everyone


@pytest.fixture
def meeting(margin: Margin):
    """A session over chapter 1 that started ten minutes ago."""
    return make_meeting(
        margin.circle,
        margin.reading,
        first=1,
        last=1,
        starts_at=timezone.now() - timedelta(minutes=10),
    )


def live_url(meeting, **query) -> str:
    url = reverse("discussions:meeting-live", args=[meeting.circle.slug, meeting.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_poll_with_the_same_etag_is_answered_304(client, margin, meeting, member):
    margin.comment(member, "Before the poll.")
    client.force_login(member)
    first = client.get(live_url(meeting))
    assert first.status_code == 200
    tag = first["ETag"]
    again = client.get(live_url(meeting), headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == tag
    assert client.get(live_url(meeting), headers={"If-None-Match": f"W/{tag}"}).status_code == 304


def test_a_new_comment_changes_the_etag_and_is_announced(
    client, margin, meeting, member, moderator
):
    old = margin.comment(member, "Before the poll.")
    client.force_login(member)
    url = live_url(meeting, since=old.pk)
    tag = client.get(url)["ETag"]
    margin.comment(moderator, "Said during the meeting.")
    response = client.get(url, headers={"If-None-Match": tag})
    assert response.status_code == 200
    assert response["ETag"] != tag
    body = response.content.decode()
    assert "Said during the meeting." in body
    assert 'id="live-announce" data-hx-swap-oob="innerHTML"' in body
    assert "New in the margin: Max" in body
    assert "<html" not in body


def test_the_page_carries_the_poll_and_a_polite_live_region(client, margin, meeting, member):
    margin.comment(member, "Before the meeting.")
    client.force_login(member)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'aria-live="polite"' in page
    assert 'data-hx-trigger="every 5s"' in page
    assert "js/live.js" in page
    assert "On now" in page
    # The page's tag is the one its first poll gets: nothing changed, so 304.
    start = page.index('data-hx-get="') + len('data-hx-get="')
    poll = page[start : page.index('"', start)].replace("&amp;", "&")
    tag = client.get(poll)["ETag"]
    assert escape(json.dumps({"If-None-Match": tag})) in page
    assert client.get(poll, headers={"If-None-Match": tag}).status_code == 304


def test_private_notes_and_hidden_comments_stay_out_of_the_live_margin(
    client, margin, meeting, member, moderator
):
    margin.comment(moderator, "A note to myself.", is_private=True)
    hidden = margin.comment(moderator, "Rude words.")
    hide_comment(hidden, moderator, "Not for this circle.")
    client.force_login(member)
    body = client.get(live_url(meeting)).content.decode()
    assert "A note to myself." not in body
    assert "Rude words." not in body


def test_a_session_not_on_has_no_poll_until_an_organizer_switches_it_on(
    client, margin, member, organizer
):
    later = make_meeting(margin.circle, margin.reading, first=1, last=1)
    client.force_login(member)
    page = client.get(later.get_absolute_url()).content.decode()
    assert "data-hx-trigger" not in page
    assert "The live margin runs while the session is on" in page
    switch = reverse("circles:meeting-live-switch", args=[margin.circle.slug, later.pk])
    assert client.post(switch, {"live": "on"}).status_code == 403
    client.force_login(organizer)
    client.post(switch, {"live": "on"})
    later.refresh_from_db()
    assert later.live and later.is_live
    client.force_login(member)
    assert 'data-hx-trigger="every 5s"' in client.get(later.get_absolute_url()).content.decode()


def test_the_poll_of_an_ended_session_stops_polling(client, margin, meeting, member):
    client.force_login(member)
    tag = client.get(live_url(meeting))["ETag"]
    meeting.starts_at = timezone.now() - timedelta(hours=5)
    meeting.save()
    response = client.get(live_url(meeting), headers={"If-None-Match": tag})
    assert response.status_code == 200
    assert "data-hx-trigger" not in response.content.decode()


@pytest.mark.parametrize("private", [False, True])
def test_who_may_poll(organizer, moderator, member, outsider, staff, private):
    from tests.factories import make_margin

    margin = make_margin(organizer, moderator, member, private=private)
    meeting = make_meeting(margin.circle, margin.reading, first=1, last=1)
    people = everyone(
        organizer=organizer, moderator=moderator, member=member, outsider=outsider, staff=staff
    )
    for name, person in people.items():
        status = client_as(person).get(live_url(meeting)).status_code
        hidden = private and name in ("anonymous", "outsider")
        assert status == (404 if hidden else 200), name


def test_the_live_margin_folds_chapters_beyond_the_readers_horizon(
    client, margin, member, moderator
):
    meeting = make_meeting(
        margin.circle,
        margin.reading,
        first=2,
        last=3,
        starts_at=timezone.now() - timedelta(minutes=10),
    )
    passage = margin.reading.chapters.get(number=3).passages.first()
    margin.comment(moderator, "How it all ends.", passage=passage)
    client.force_login(member)
    body = client.get(live_url(meeting)).content.decode()
    assert "How it all ends." not in body
    assert "1 thread on a chapter you haven’t read" in body
    shown = client.get(live_url(meeting, spoilers="show")).content.decode()
    assert "How it all ends." in shown


def test_the_fold_counts_threads_not_replies(client, margin, member, moderator, organizer):
    from discussions.services import post_comment

    meeting = make_meeting(
        margin.circle,
        margin.reading,
        first=3,
        last=3,
        starts_at=timezone.now() - timedelta(minutes=1),
    )
    passage = margin.reading.chapters.get(number=3).passages.first()
    thread = margin.comment(moderator, "How it all ends.", passage=passage)
    post_comment(circle=margin.circle, passage=None, author=organizer, body="Yes.", parent=thread)
    client.force_login(member)
    assert (
        "1 thread on a chapter you haven’t read" in client.get(live_url(meeting)).content.decode()
    )


def test_past_and_cancelled_sessions_have_no_live_margin(client, margin, member):
    past = make_meeting(
        margin.circle, margin.reading, first=1, last=1, starts_at=timezone.now() - timedelta(days=2)
    )
    cancelled = make_meeting(margin.circle, margin.reading, first=1, last=1)
    cancelled.cancel()
    client.force_login(member)
    for meeting in (past, cancelled):
        assert 'id="live-margin"' not in client.get(meeting.get_absolute_url()).content.decode()


def test_a_304_costs_a_few_small_queries_whatever_the_comments(
    client, margin, meeting, member, moderator, posting_unlimited, django_assert_num_queries
):
    for n in range(30):
        margin.comment(moderator, f"Comment {n}.")
    client.force_login(member)
    tag = client.get(live_url(meeting))["ETag"]
    # Answered before the login session and the user load (`live.answer_early`): the session
    # with its circle and its chapters' versions.
    with django_assert_num_queries(1):
        response = client.get(live_url(meeting), headers={"If-None-Match": tag})
    assert response.status_code == 304
    assert response["ETag"] == tag
    assert response["Cache-Control"] == "private, no-cache"


def test_in_a_private_circle_a_304_is_one_query_and_only_for_members(
    organizer, moderator, member, django_assert_num_queries
):
    """The early answer checks the tag's viewer is still an active member: a member who
    left gets the view's 404 on their next poll, though nothing changed."""
    from tests.factories import make_margin

    margin = make_margin(organizer, moderator, member, private=True)
    meeting = make_meeting(
        margin.circle, margin.reading, first=1, last=1,
        starts_at=timezone.now() - timedelta(minutes=10),
    )  # fmt: skip
    client = client_as(member)
    tag = client.get(live_url(meeting))["ETag"]
    with django_assert_num_queries(1):
        assert client.get(live_url(meeting), headers={"If-None-Match": tag}).status_code == 304
    margin.circle.leave(member)
    assert client.get(live_url(meeting), headers={"If-None-Match": tag}).status_code == 404


def test_a_tag_answers_304_only_to_the_session_it_was_given_to(
    margin, meeting, member, moderator, django_assert_num_queries
):
    """A tag names its viewer and is signed with their session cookie: sent with another
    session (or none), the poll goes through the view and gets that session's own answer."""
    tag = client_as(member).get(live_url(meeting))["ETag"]
    other = client_as(moderator)
    response = other.get(live_url(meeting), headers={"If-None-Match": tag})
    assert response.status_code == 200
    assert response["ETag"] != tag
    own = response["ETag"]
    assert other.get(live_url(meeting), headers={"If-None-Match": own}).status_code == 304
    forged = tag.replace(f"live-{member.pk}-", f"live-{moderator.pk}-")
    assert other.get(live_url(meeting), headers={"If-None-Match": forged}).status_code == 200
    anonymous = client_as(None)
    assert anonymous.get(live_url(meeting), headers={"If-None-Match": tag}).status_code == 200
    anonymous_tag = anonymous.get(live_url(meeting))["ETag"]
    with django_assert_num_queries(1):
        response = anonymous.get(live_url(meeting), headers={"If-None-Match": anonymous_tag})
    assert response.status_code == 304


def test_a_new_chapter_discussion_changes_the_etag(client, margin, member, moderator):
    """The first comment on a chapter makes its version row: the stamp changes too."""
    meeting = make_meeting(
        margin.circle,
        margin.reading,
        first=1,
        last=2,
        starts_at=timezone.now() - timedelta(minutes=5),
    )
    margin.comment(moderator, "On chapter one.")
    client.force_login(member)
    tag = client.get(live_url(meeting))["ETag"]
    passage = margin.reading.chapters.get(number=2).passages.first()
    margin.comment(moderator, "First on chapter two.", passage=passage)
    assert client.get(live_url(meeting), headers={"If-None-Match": tag}).status_code == 200
