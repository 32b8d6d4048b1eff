"""Recent discussion on the circle's home and the threads of a session's chapters."""

from __future__ import annotations

import pytest

from tests.factories import make_margin, make_meeting

pytestmark = pytest.mark.django_db


def test_circle_home_lists_recent_threads_newest_first(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    margin.comment(member, "Older thread")
    margin.comment(moderator, "Newer thread")
    margin.comment(member, "Only mine", is_private=True)
    html = client.get(margin.circle.get_absolute_url()).content.decode()
    assert html.index("Newer thread") < html.index("Older thread")
    assert "Only mine" not in html
    assert f'href="{margin.chapter_url()}"' in html or "Recent discussion" in html


def test_session_page_shows_its_chapters_threads_and_links_to_the_circle_reader(
    client, organizer, moderator, member
):
    margin = make_margin(organizer, moderator, member)
    meeting = make_meeting(margin.circle, margin.reading, first=1, last=2)
    margin.comment(member, "About chapter one")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "About chapter one" in html
    assert f'href="{margin.chapter_url(1)}"' in html and f'href="{margin.chapter_url(2)}"' in html


def test_recent_threads_read_as_plain_words_and_new_ones_are_just_now(
    client, organizer, moderator, member
):
    margin = make_margin(organizer, moderator, member)
    margin.comment(member, "The *limitations* of **expertise**")
    html = client.get(margin.circle.get_absolute_url()).content.decode()
    assert "The limitations of expertise" in html
    assert "*limitations*" not in html
    assert "just now" in html and "0\xa0minutes ago" not in html


def test_a_deleted_whole_passage_thread_with_replies_still_has_words_on_circle_home(
    client, organizer, moderator, member
):
    from discussions.services import delete_comment, post_comment

    margin = make_margin(organizer, moderator, member)
    root = margin.comment(member, "Soon taken back")
    post_comment(circle=margin.circle, passage=None, author=moderator, body="Reply", parent=root)
    delete_comment(root)
    html = client.get(margin.circle.get_absolute_url()).content.decode()
    link = f'<a class="recent-thread__link" href="{root.get_absolute_url()}">A deleted comment</a>'
    assert link in html
