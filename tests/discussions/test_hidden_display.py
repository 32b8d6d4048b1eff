"""A hidden comment reads "hidden by a moderator" to members, in full (with the reason) to its
author and to the circle's moderators and organizers; replies below it stay readable; and
nothing of that reaches the chapter page's shared cache."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.urls import reverse

from discussions.moderation import hide_comment
from tests.factories import Margin, make_user

PLACEHOLDER = "This comment was hidden by a moderator."
BODY = "Everyone who disagrees is a fool"
REASON = "Name-calling"


@pytest.fixture
def hidden_thread(margin: Margin, member, organizer, readers):
    """Mina's anchored comment, hidden by Olive, with Reader 0's reply below it."""
    root = margin.comment(member, BODY, start=0, end=5)
    reply = margin.comment(readers[0], "Let us keep it civil", parent=root)
    hide_comment(root, organizer, REASON)
    return root, reply


def _panel(client, margin: Margin, user) -> str:
    client.force_login(user) if user else client.logout()
    return client.get(margin.passage_url()).content.decode()


@pytest.mark.parametrize("viewer", ["anonymous", "outsider", "other member", "banned"])
def test_others_see_only_that_a_moderator_hid_it_and_the_reply_below(
    client, margin: Margin, hidden_thread, viewer, outsider, readers
):
    user = {
        "anonymous": None,
        "outsider": outsider,
        "other member": readers[1],
        "banned": margin.banned,
    }[viewer]

    html = _panel(client, margin, user)

    assert PLACEHOLDER in html
    assert BODY not in html and REASON not in html
    assert "Let us keep it civil" in html
    assert "Restore" not in html


def test_its_author_reads_it_in_full_with_the_reason(client, margin: Margin, hidden_thread, member):
    root, _ = hidden_thread
    html = _panel(client, margin, member)

    assert BODY in html
    assert f"Hidden by a moderator: {REASON}" in html
    assert PLACEHOLDER not in html
    assert "Restore" not in html
    # No editing, deleting or replying to a hidden comment.
    assert f"?edit={root.pk}" not in html and f"?reply={root.pk}" not in html
    assert reverse("discussions:comment-delete", args=[margin.circle.slug, root.pk]) not in html


@pytest.mark.parametrize("role", ["moderator", "organizer"])
def test_moderators_read_it_in_full_marked_hidden_with_restore(
    client, margin: Margin, hidden_thread, role, moderator, organizer
):
    root, _ = hidden_thread
    html = _panel(client, margin, {"moderator": moderator, "organizer": organizer}[role])

    assert BODY in html
    assert f"Hidden by a moderator: {REASON}" in html
    assert 'class="comment__hidden-badge">Hidden<' in html
    assert reverse("discussions:comment-restore", args=[margin.circle.slug, root.pk]) in html


def test_a_hidden_comment_without_replies_is_gone_for_members_but_not_its_author(
    client, margin: Margin, member, organizer, readers
):
    comment = margin.comment(member, "Alone and hidden")
    hide_comment(comment, organizer, "Off topic")

    assert "Alone and hidden" not in _panel(client, margin, readers[0])
    assert PLACEHOLDER not in _panel(client, margin, readers[0])
    assert "Alone and hidden" in _panel(client, margin, member)
    assert "Alone and hidden" in _panel(client, margin, organizer)


def test_what_moderators_and_authors_see_never_reaches_the_shared_chapter_cache(
    client, margin: Margin, hidden_thread, member, moderator, organizer
):
    caches["fragments"].clear()
    nobody_first = _panel(client, margin, None), client.get(margin.chapter_url()).content.decode()

    caches["fragments"].clear()
    for privileged in (moderator, member, organizer):  # each fills the caches first
        client.force_login(privileged)
        assert BODY in client.get(margin.passage_url()).content.decode()
        client.get(margin.chapter_url())
    client.logout()
    panel, chapter = _panel(client, margin, None), client.get(margin.chapter_url()).content
    chapter = chapter.decode()

    assert BODY not in panel and BODY not in chapter and REASON not in chapter
    assert chapter.count("<mark") == nobody_first[1].count("<mark") == 0
    assert "1 comment" in chapter and "1 comment" in nobody_first[1]
    # A member who is neither author nor moderator, after all of them.
    other = make_user("late.reader@example.org", display_name="Late")
    margin.circle.add_member(other)
    assert BODY not in _panel(client, margin, other)
