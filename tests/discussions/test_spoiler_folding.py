"""Discussion beyond a reader's horizon is folded wherever it would come to them: the circle's
recent discussion, a session's page, the margin of a later chapter's passage or thread page;
never the chapter page they open, nor a panel that page loads. "Show anyway" unfolds it for
one visit, without JavaScript (a link) and with htmx (the same link, swapping one element)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Spoilers
from discussions.models import Comment
from readings.models import Passage, ReadingProgress
from tests.factories import make_meeting
from tests.permission_matrix import client_as

pytestmark = pytest.mark.django_db

QUOTE_2 = "word2x0 word2x1"  # the start of chapter 2's first passage


def first_passage(margin, number: int) -> Passage:
    return Passage.objects.in_chapter(margin.reading.chapters.get(number=number)).first()


@pytest.fixture
def later(margin, organizer) -> Comment:
    """The organizer's thread on a phrase of chapter 2, with a reply."""
    root = margin.comment(
        organizer, "The twist in chapter two!", passage=first_passage(margin, 2), start=0, end=15
    )
    margin.comment(organizer, "And its echo.", parent=root, passage=None)
    return root


@pytest.fixture
def early(margin, moderator) -> Comment:
    return margin.comment(moderator, "About the opening.", passage=first_passage(margin, 1))


def circle_page(margin, user, query: str = "", **headers) -> str:
    return client_as(user).get(margin.circle.get_absolute_url() + query, **headers).text


# --- the circle's recent discussion ---------------------------------------------------------


def test_recent_discussion_folds_threads_on_chapters_not_reached(margin, member, later, early):
    html = circle_page(margin, member)
    assert "About the opening." in html
    assert "The twist" not in html and QUOTE_2 not in html
    assert "1 thread on a chapter you haven’t read —" in html
    assert 'href="/circles/public-readers/?spoilers=show#recent-discussion"' in html


def test_show_anyway_shows_them_and_offers_to_fold_them_again(margin, member, later, early):
    html = circle_page(margin, member, "?spoilers=show")
    assert f"“{QUOTE_2}" in html and "About the opening." in html
    assert "Fold it again" in html and 'href="/circles/public-readers/#recent-discussion"' in html
    assert "you haven’t read —" not in html


def test_show_anyway_with_htmx_swaps_the_section_and_keeps_the_focus(margin, member, later, early):
    html = circle_page(margin, member)
    [link] = re.findall(r'<a id="recent-discussion-toggle"[^>]*>', html)
    assert 'data-hx-get="/circles/public-readers/?spoilers=show"' in link
    assert 'data-hx-select="#recent-discussion"' in link
    assert 'data-hx-target="#recent-discussion"' in link
    assert 'data-hx-swap="outerHTML"' in link
    shown = circle_page(margin, member, "?spoilers=show", HTTP_HX_REQUEST="true")
    # The swapped-in section has the element to select, and its toggle keeps the link's id
    # (htmx gives the focus back to an element with the same id).
    assert 'id="recent-discussion"' in shown and 'id="recent-discussion-toggle"' in shown


def test_reading_the_chapter_unfolds_it(margin, member, later):
    ReadingProgress.advance(member, later.chapter, later.passage)
    html = circle_page(margin, member)
    assert QUOTE_2 in html and "haven’t read" not in html


def test_a_held_session_unfolds_its_chapters(margin, member, later):
    make_meeting(
        margin.circle, margin.reading, first=2, starts_at=timezone.now() - timedelta(days=1)
    )
    assert QUOTE_2 in circle_page(margin, member)


def test_nothing_is_folded_for_whoever_wrote_it(margin, organizer, later):
    assert QUOTE_2 in circle_page(margin, organizer)


def test_visitors_have_it_folded_too(margin, later):
    html = circle_page(margin, None)
    assert "The twist" not in html and "1 thread on a chapter you haven’t read" in html


def test_a_member_who_turned_folding_off_sees_everything(margin, member, later):
    member.spoilers = Spoilers.SHOW
    member.save()
    html = circle_page(margin, member)
    assert QUOTE_2 in html and "haven’t read" not in html and "Fold it again" not in html


def test_a_circle_that_does_not_fold_shows_everything_unless_a_member_asks(
    margin, member, moderator, later
):
    margin.circle.fold_spoilers = False
    margin.circle.save()
    assert QUOTE_2 in circle_page(margin, member)
    moderator.spoilers = Spoilers.FOLD
    moderator.save()
    assert QUOTE_2 not in circle_page(margin, moderator)


def test_folding_costs_the_circle_page_at_most_two_queries(margin, member, later, early):
    """The horizon and the count of what is folded: two queries at most (the membership
    the horizon needs may come with the circle)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(member)
    url = margin.circle.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as folding:
        client.get(url)
    member.spoilers = Spoilers.SHOW
    member.save()
    with CaptureQueriesContext(connection) as showing:
        client.get(url)
    assert len(folding) <= len(showing) + 2


# --- a session's page -----------------------------------------------------------------------


def test_a_later_sessions_page_folds_its_chapters_discussion(margin, member, later):
    meeting = make_meeting(margin.circle, margin.reading, first=2, last=3)
    html = client_as(member).get(meeting.get_absolute_url()).text
    assert QUOTE_2 not in html and QUOTE_2 not in html
    assert "1 thread on a chapter you haven’t read" in html
    link = 'data-hx-select="#session-discussion" data-hx-target="#session-discussion"'
    assert link in html
    shown = client_as(member).get(meeting.get_absolute_url() + "?spoilers=show").text
    assert QUOTE_2 in shown and 'id="session-discussion"' in shown


def test_a_session_on_chapters_read_shows_them(margin, member, later, early):
    meeting = make_meeting(margin.circle, margin.reading, first=1, last=2)
    ReadingProgress.advance(member, later.chapter)
    html = client_as(member).get(meeting.get_absolute_url()).text
    assert QUOTE_2 in html and "About the opening." in html and "haven’t read" not in html


# --- the margin of a later chapter ----------------------------------------------------------


def passage_url(margin, comment) -> str:
    return margin.passage_url(comment.passage)


def test_a_later_chapters_passage_page_folds_its_threads(margin, member, later):
    html = client_as(member).get(passage_url(margin, later)).text
    assert "The twist" not in html and "And its echo." not in html
    assert "1 thread on chapter 2, which you haven’t read" in html
    assert "<mark" not in html  # no highlight says what was marked
    assert f'href="{passage_url(margin, later)}?spoilers=show"' in html


def test_show_anyway_on_the_passage_page(margin, member, later):
    url = passage_url(margin, later) + "?spoilers=show"
    html = client_as(member).get(url).text
    assert "The twist" in html and "And its echo." in html
    panel = client_as(member).get(url, HTTP_HX_REQUEST="true").text
    assert panel.strip().startswith('<section id="thread-panel"') and "The twist" in panel


def test_the_folded_panel_for_htmx_is_only_the_panel(margin, member, later):
    panel = client_as(member).get(passage_url(margin, later), HTTP_HX_REQUEST="true").text
    assert panel.strip().startswith('<section id="thread-panel"') and "<html" not in panel
    assert "The twist" not in panel and "which you haven’t read" in panel
    assert f'data-hx-get="{passage_url(margin, later)}?spoilers=show"' in panel


def test_the_chapter_page_a_reader_opens_is_never_folded(margin, member, later):
    client = client_as(member)
    html = client.get(margin.chapter_url(2)).text
    assert 'class="passage__count"' in html and "<mark" in html  # its margin, all there
    # …and the panels it loads (htmx, from that page) are not folded either.
    panel = client.get(
        passage_url(margin, later),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{margin.chapter_url(2)}?show=all",
    ).text
    assert "The twist" in panel
    # A panel asked for from another chapter's page is.
    other = client.get(
        passage_url(margin, later),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{margin.chapter_url(1)}",
    ).text
    assert "The twist" not in other


@pytest.mark.parametrize("query", ["?compose=1", "?reply={pk}", "?edit={pk}"])
def test_asking_to_write_there_is_opening_it_on_purpose(margin, member, later, query):
    url = passage_url(margin, later) + query.format(pk=later.pk)
    assert "The twist" in client_as(member).get(url).text


def test_a_later_orphans_thread_page_is_folded(margin, member, later):
    Comment.objects.filter(pk=later.pk).update(passage=None, anchor_status="orphaned")
    Comment.objects.filter(root=later).update(passage=None)
    url = reverse("discussions:thread", args=[margin.circle.slug, later.pk])
    html = client_as(member).get(url).text
    assert "The twist" not in html and "1 thread on chapter 2, which you haven’t read" in html
    assert "The twist" in client_as(member).get(url + "?spoilers=show").text


def test_the_first_chapters_margin_is_never_folded_and_costs_no_horizon(
    margin, member, early, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        html = client_as(member).get(margin.passage_url()).text
    assert "About the opening." in html and "haven’t read" not in html
    assert not [q for q in queries if "chapterreached" in q["sql"]]


# --- the member's and the circle's settings -------------------------------------------------


def test_the_member_chooses_on_the_settings_page(client, member, margin, later):
    client.force_login(member)
    page = client.get(reverse("accounts:settings")).text
    assert "Discussion of chapters you haven’t reached" in page
    response = client.post(
        reverse("accounts:settings"),
        {"display_name": "Mina", "time_zone": "UTC", "spoilers": Spoilers.SHOW},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.spoilers == Spoilers.SHOW
    assert QUOTE_2 in client.get(margin.circle.get_absolute_url()).text


def test_an_unknown_choice_is_refused(client, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:settings"),
        {"display_name": "Mina", "time_zone": "UTC", "spoilers": "peek"},
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.text
    member.refresh_from_db()
    assert member.spoilers == Spoilers.CIRCLE


def test_the_organizer_sets_the_circles_default(client, organizer, margin):
    client.force_login(organizer)
    url = reverse("circles:circle-edit", args=[margin.circle.slug])
    assert "Fold discussion of chapters a member hasn’t reached" in client.get(url).text
    data = {
        "name": margin.circle.name,
        "description": "",
        "visibility": "public",
        "time_zone": "UTC",
        "flag_threshold": 3,
    }  # the box left unticked
    assert client.post(url, data).status_code == 302
    margin.circle.refresh_from_db()
    assert margin.circle.fold_spoilers is False
    assert client.post(url, data | {"fold_spoilers": "on"}).status_code == 302
    margin.circle.refresh_from_db()
    assert margin.circle.fold_spoilers is True


def test_a_later_passage_with_nothing_written_or_only_mine_is_not_folded(margin, member):
    passage = first_passage(margin, 3)
    html = client_as(member).get(margin.passage_url(passage)).text
    assert "haven’t read" not in html and "Nobody has written about this" in html
    margin.comment(member, "My own peek.", passage=passage)
    html = client_as(member).get(margin.passage_url(passage)).text
    assert "haven’t read" not in html and "My own peek." in html


def test_my_own_thread_with_someone_elses_reply_on_a_later_chapter_is_folded(
    margin, member, organizer
):
    """(Found by the property test: a thread the reader started is theirs, its replies not.)"""
    mine = margin.comment(member, "My own peek.", passage=first_passage(margin, 3))
    margin.comment(organizer, "Wait till the end!", parent=mine, passage=None)
    html = client_as(member).get(margin.passage_url(mine.passage)).text
    assert "Wait till the end!" not in html and "which you haven’t read" in html
