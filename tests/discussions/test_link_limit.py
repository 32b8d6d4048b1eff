"""Accounts younger than a day may put at most two links in a comment, a reply or an edit;
@mentions the app links do not count, and the message says when the limit lifts."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from discussions import limits
from discussions.models import Comment
from discussions.services import CommentError, reply

pytestmark = pytest.mark.django_db

JOINED = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
NOW = "2026-11-22 10:00:00 +00:00"
THREE_LINKS = (
    "See [one](https://one.example), <https://two.example> and [three](http://three.example/page)."
)
TWO_LINKS_AND_A_MENTION = "@Olive, see [one](https://one.example) and <https://two.example>."


@pytest.fixture
def newcomer(member):
    member.date_joined = JOINED
    member.save(update_fields=["date_joined"])
    return member


def post(client, margin, body: str, **extra):
    data = {"body": body, "idempotency_key": str(uuid.uuid4()), **extra}
    return client.post(margin.create_url(), data)


def alert(response) -> str:
    match = re.search(r'role="alert">(.*?)</div>', response.content.decode(), re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def test_a_new_account_cannot_post_three_links(client, margin, newcomer):
    client.force_login(newcomer)
    with time_machine.travel(NOW, tick=False):
        response = post(client, margin, THREE_LINKS)
    assert response.status_code == 422
    assert alert(response) == (
        "A new account may put at most 2 links in a comment, and this one has 3. "
        "The limit lifts at 09:30 tomorrow, when your account is a day old."
    )
    assert THREE_LINKS.replace("<", "&lt;").replace(">", "&gt;") in response.content.decode()
    assert not Comment.objects.filter(author=newcomer).exists()
    # A refused post takes nothing from the posting limits either.
    with time_machine.travel(NOW, tick=False):
        assert limits.posts_counted(newcomer, limits.MINUTE) == 0


def test_the_message_speaks_the_persons_time_zone(client, margin, newcomer):
    newcomer.time_zone = "America/New_York"
    newcomer.save(update_fields=["time_zone"])
    client.force_login(newcomer)
    with time_machine.travel(NOW, tick=False):
        response = post(client, margin, THREE_LINKS)
    assert "The limit lifts at 04:30 tomorrow" in alert(response)


def test_two_links_and_a_mention_are_fine(client, margin, newcomer):
    client.force_login(newcomer)
    with time_machine.travel(NOW, tick=False):
        assert post(client, margin, TWO_LINKS_AND_A_MENTION).status_code == 302
    comment = Comment.objects.get(author=newcomer)
    assert comment.body_html.count("<a ") == 3
    assert 'class="mention"' in comment.body_html


def test_addresses_that_are_not_links_do_not_count(client, margin, newcomer):
    body = "Plain text: https://one.example https://two.example https://three.example"
    client.force_login(newcomer)
    with time_machine.travel(NOW, tick=False):
        assert post(client, margin, body).status_code == 302
    assert "<a " not in Comment.objects.get(author=newcomer).body_html


def test_an_account_older_than_a_day_may_post_three_links(client, margin, member):
    member.date_joined = JOINED - timedelta(days=2)
    member.save(update_fields=["date_joined"])
    client.force_login(member)
    with time_machine.travel(NOW, tick=False):
        assert post(client, margin, THREE_LINKS).status_code == 302


def test_the_limit_lifts_when_the_account_is_a_day_old(client, margin, newcomer):
    client.force_login(newcomer)
    with time_machine.travel("2026-11-23 09:29:59 +00:00", tick=False):
        assert post(client, margin, THREE_LINKS).status_code == 422
    with time_machine.travel("2026-11-23 09:30:00 +00:00", tick=False):
        assert post(client, margin, THREE_LINKS).status_code == 302


def test_a_reply_counts_its_links_too(margin, newcomer, moderator):
    root = margin.comment(moderator, "A question?")
    with time_machine.travel(NOW, tick=False), pytest.raises(CommentError, match="2 links"):
        reply(root, author=newcomer, body=THREE_LINKS)
    assert root.replies.count() == 0


def test_an_edit_cannot_add_a_third_link(client, margin, newcomer):
    with time_machine.travel(NOW, tick=False):
        comment = margin.comment(newcomer, TWO_LINKS_AND_A_MENTION)
        client.force_login(newcomer)
        url = f"/circles/{margin.circle.slug}/comments/{comment.pk}/edit/"
        response = client.post(url, {"body": THREE_LINKS})
    assert response.status_code == 422
    assert "at most 2 links in a comment, and this one has 3" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == TWO_LINKS_AND_A_MENTION
    assert not comment.revisions.exists()


def test_the_limit_is_a_setting(client, margin, newcomer, settings):
    settings.NEW_ACCOUNT_MAX_LINKS = 0
    client.force_login(newcomer)
    with time_machine.travel(NOW, tick=False):
        response = post(client, margin, "Only [one](https://one.example).")
    assert response.status_code == 422
    assert alert(response).startswith("A new account may put no links in a comment")
