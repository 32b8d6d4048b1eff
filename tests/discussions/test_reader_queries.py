"""The chapter page and the thread panel cost the same few queries however much is written."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from discussions.models import Comment
from discussions.services import post_comment
from discussions.thread_pages import REPLIES_PER_PAGE, REPLIES_SHOWN
from tests.factories import make_margin

pytestmark = pytest.mark.django_db


def bulk_comments(margin, author, count: int) -> None:
    """`count` thread roots over the chapter's passages (bulk, as the test needs speed)."""
    passages = list(margin.chapter.passages.all())
    now = timezone.now()
    Comment.objects.bulk_create(
        [
            Comment(
                circle=margin.circle,
                author=author,
                reading=margin.reading,
                chapter=margin.chapter,
                passage=passage,
                passage_key=passage.key,
                body="n",
                body_html="<p>n</p>",
                idempotency_key=uuid.uuid4(),
                created_at=now,
                last_activity_at=now,
                anchor_start=n % 10,
                anchor_end=n % 10 + 5,
                anchor_exact=passage.text[n % 10 : n % 10 + 5],
            )
            for n in range(count)
            for passage in [passages[n % len(passages)]]
        ],
        batch_size=1000,
    )
    # One real write so the discussion version exists (as any write would make it).
    margin.comment(author, "real")


@pytest.mark.parametrize("comments", [0, 10_000])
@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_chapter_page_budget(
    client, organizer, moderator, member, django_assert_max_num_queries, comments, viewer
):
    margin = make_margin(organizer, moderator, member)
    if comments:
        bulk_comments(margin, moderator, comments)
    if viewer == "member":
        client.force_login(member)
    # Cold: the fragment is rendered and stored (in the process's fragment cache: no query).
    with django_assert_max_num_queries(12):
        first = client.get(margin.chapter_url())
    # Warm (every later request until the next write): the budget of the issue.
    with django_assert_max_num_queries(4 if viewer == "member" else 1):
        second = client.get(margin.chapter_url())
    assert first.status_code == second.status_code == 200
    if comments:
        assert second.content.count(b"<mark") >= 2
        assert "10,001 comments".replace(",", "") in second.content.decode().replace(",", "")


@pytest.mark.parametrize("show", ["mine", "unanswered"])
def test_filtered_chapter_budget(
    client, organizer, moderator, member, django_assert_max_num_queries, show
):
    margin = make_margin(organizer, moderator, member)
    bulk_comments(margin, moderator, 2_000)
    client.force_login(member)
    with django_assert_max_num_queries(12):
        assert client.get(margin.chapter_url(show=show)).status_code == 200


def test_thread_panel_budget(
    client, organizer, moderator, member, django_assert_max_num_queries, settings
):
    settings.COMMENTS_PER_MINUTE = 200  # a hundred posts each, made at once
    margin = make_margin(organizer, moderator, member)
    root = margin.comment(member, "root", start=0, end=4)
    parent = root
    for n in range(199):
        author = moderator if n % 2 else member
        parent = post_comment(
            circle=margin.circle, passage=None, author=author, body=f"r{n}",
            parent=parent if n % 3 else root,
        ).comment  # fmt: skip
    client.force_login(member)
    # The page's threads, their first replies, and the passage's count (discussions.thread_pages)
    with django_assert_max_num_queries(7):
        response = client.get(margin.passage_url(), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.count('class="comment comment--depth') == 1 + REPLIES_SHOWN
    assert "Show all replies" in html and f"({199 - REPLIES_SHOWN} more)" in html
    # The thread opened, when asked for: its replies a page at a time.
    with django_assert_max_num_queries(7):
        response = client.get(f"{margin.passage_url()}?thread={root.pk}", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.count('class="comment comment--depth') == 1 + REPLIES_PER_PAGE
    assert "Later replies" in html


def test_a_write_replaces_the_cached_fragment(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    margin.comment(member, "one", start=0, end=4)
    assert client.get(margin.chapter_url()).content.count(b"<mark") == 1
    margin.comment(member, "two", start=6, end=12)
    assert client.get(margin.chapter_url()).content.count(b"<mark") == 2


def test_private_notes_never_reach_others_or_the_shared_cache(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    margin.comment(member, "a note to self", start=0, end=4, is_private=True)
    client.force_login(member)
    mine = client.get(margin.chapter_url()).content.decode()
    assert mine.count("<mark") == 1 and "1 thread · 1 comment" in mine
    client.logout()
    shared = client.get(margin.chapter_url()).content.decode()
    assert "<mark" not in shared and "No comments yet" in shared
    client.force_login(moderator)
    theirs = client.get(margin.chapter_url()).content.decode()
    assert "<mark" not in theirs and "No comments yet" in theirs
    assert "a note to self" not in client.get(margin.passage_url()).content.decode()
