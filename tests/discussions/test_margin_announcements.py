"""What the margin's live region is told after each write (the `margin:announce` event htmx
raises from the response), and the Keyboard help page the reader links to."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from discussions.services import post_comment

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def announced(response) -> str:
    return json.loads(response["HX-Trigger"])["margin:announce"]["text"]


def test_a_post_a_reply_an_edit_and_a_delete_are_announced(client, margin, member, organizer):
    client.force_login(member)
    root = margin.comment(organizer, "Start here")

    posted = client.post(
        margin.create_url(),
        {"body": "Mine", "idempotency_key": "6f1c1d3a-0000-4000-8000-000000000001"},
        headers=HTMX,
    )
    replied = client.post(
        margin.create_url(),
        {
            "body": "An answer",
            "parent": root.pk,
            "idempotency_key": "6f1c1d3a-0000-4000-8000-000000000002",
        },
        headers=HTMX,
    )
    mine = root.replies.get()
    edit = reverse("discussions:comment-edit", args=[margin.circle.slug, mine.pk])
    edited = client.post(edit, {"body": "A better answer"}, headers=HTMX)
    delete = reverse("discussions:comment-delete", args=[margin.circle.slug, mine.pk])
    deleted = client.post(delete, headers=HTMX)

    assert announced(posted) == "Your comment was posted."
    assert announced(replied) == "Your reply to Olive was posted."
    assert announced(edited) == "Your edit was saved."
    assert announced(deleted) == "Your comment was deleted."


def test_a_flag_is_announced(client, margin, member, organizer):
    comment = post_comment(
        circle=margin.circle, passage=margin.passage, author=organizer, body="Hm"
    ).comment
    client.force_login(member)
    url = reverse("discussions:comment-flag", args=[margin.circle.slug, comment.pk])
    response = client.post(url, {"reason": "spam"}, headers=HTMX)
    assert "moderators will review it" in announced(response)


def test_the_keyboard_page_lists_the_shortcuts_and_the_reader_links_to_it(client, margin):
    url = reverse("discussions:keyboard")
    page = client.get(url).content.decode()
    assert "Next highlight" in page and "<kbd>Escape</kbd>" in page
    assert "data-shortcuts-toggle" in page
    assert url in client.get(margin.chapter_url()).content.decode()
