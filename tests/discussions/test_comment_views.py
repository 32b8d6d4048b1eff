"""Editing, deleting and the history of a comment, as plain posts and htmx requests."""

from __future__ import annotations

import pytest

from discussions.models import CommentState

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "person,expected",
    [("anonymous", 302), ("outsider", 403), ("moderator", 403), ("banned", 403), ("author", 302)],
)
def test_only_the_author_edits(client, margin, member, moderator, outsider, person, expected):
    comment = margin.comment(member if person != "banned" else margin.banned, "Old")
    users = {"outsider": outsider, "moderator": moderator, "banned": margin.banned,
             "author": member}  # fmt: skip
    if person in users:
        client.force_login(users[person])
    url = f"/circles/{margin.circle.slug}/comments/{comment.pk}/edit/"
    response = client.post(url, {"body": "New"})
    assert response.status_code == expected
    comment.refresh_from_db()
    assert (comment.body == "New") == (expected == 302 and person == "author")


def test_edit_marks_edited_and_its_author_and_moderators_see_versions(
    client, margin, member, moderator, readers
):
    comment = margin.comment(member, "Old words")
    client.force_login(member)
    client.post(f"/circles/{margin.circle.slug}/comments/{comment.pk}/edit/", {"body": "New words"})
    assert "edited" in client.get(margin.passage_url()).content.decode()
    history = f"/circles/{margin.circle.slug}/comments/{comment.pk}/history/"
    assert "Old words" in client.get(history).content.decode()
    client.force_login(readers[0])
    assert client.get(history).status_code == 403
    client.force_login(moderator)
    page = client.get(history).content.decode()
    assert "Old words" in page and "New words" in page


def test_edit_over_htmx_returns_the_panel(client, margin, member):
    comment = margin.comment(member, "Old")
    client.force_login(member)
    response = client.post(
        f"/circles/{margin.circle.slug}/comments/{comment.pk}/edit/",
        {"body": "New"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="thread-panel"') and "New" in html


def test_delete_by_the_author(client, margin, member, moderator):
    comment = margin.comment(member, "Gone soon")
    client.force_login(moderator)
    url = f"/circles/{margin.circle.slug}/comments/{comment.pk}/delete/"
    assert client.post(url).status_code == 403
    client.force_login(member)
    assert client.post(url).status_code == 302
    comment.refresh_from_db()
    assert comment.state == CommentState.DELETED
    assert "Gone soon" not in client.get(margin.passage_url()).content.decode()


def test_a_reply_without_javascript(client, margin, member, moderator):
    root = margin.comment(member, "Question?")
    client.force_login(moderator)
    page = client.get(margin.passage_url() + f"?reply={root.pk}").content.decode()
    assert 'id="reply-form"' in page and f'name="parent" value="{root.pk}"' in page
    response = client.post(
        margin.create_url(),
        {
            "body": "Answer!",
            "parent": root.pk,
            "idempotency_key": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#c-" + str(root.pk + 1))
    root.refresh_from_db()
    assert root.reply_count == 1


@pytest.mark.parametrize(
    "person,expected",
    [("anonymous", 302), ("outsider", 403), ("moderator", 403), ("author", 200)],
)
def test_without_javascript_deleting_asks_on_a_page_first(
    client, margin, member, moderator, outsider, person, expected
):
    comment = margin.comment(member, "Words I may regret")
    users = {"outsider": outsider, "moderator": moderator, "author": member}
    if person in users:
        client.force_login(users[person])
    url = f"/circles/{margin.circle.slug}/comments/{comment.pk}/delete/"
    response = client.get(url)
    assert response.status_code == expected
    comment.refresh_from_db()
    assert comment.state == CommentState.VISIBLE  # asking changes nothing
    if expected == 200:
        page = response.content.decode()
        assert "Delete your comment?" in page and "Words I may regret" in page
        assert f'action="{url}"' in page and "Keep it" in page


def test_the_comment_links_to_the_delete_page_and_keeps_the_raw_json_in_its_menu(
    client, margin, member
):
    comment = margin.comment(member, "Mine", start=0, end=4)
    client.force_login(member)
    html = client.get(margin.passage_url()).content.decode()
    url = f"/circles/{margin.circle.slug}/comments/{comment.pk}/delete/"
    assert f'<a href="{url}" data-hx-post="{url}" data-hx-confirm="Delete this comment?">' in html
    menu = html[html.index('<details class="comment__more">') :]
    menu = menu[: menu.index("</details>")]
    assert "Copy link" in menu and "W3C JSON" in menu and "annotation.json" in menu
