"""Posting too fast: the 11th comment in a minute (or the 201st in a day) is refused with a 429
that says when to try again, keeps the text, and saves nothing; the counts live in the shared
cache, so every process sees them."""

from __future__ import annotations

import re
import threading
import uuid

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection

from discussions import limits
from discussions.models import Comment
from discussions.services import RateLimited
from tests.factories import make_margin

pytestmark = pytest.mark.django_db

# 40 seconds before the next minute starts.
NOW = "2026-11-22 10:00:20 +00:00"
NEXT_MINUTE = "2026-11-22 10:01:00 +00:00"


def post(client, margin, body: str, *, key=None, parent=None, htmx: bool = False):
    data = {"body": body, "idempotency_key": str(key or uuid.uuid4())}
    if parent is not None:
        data["parent"] = parent.pk
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(margin.create_url(), data, **headers)


def alert(response) -> str:
    """The text of the first alert on the page, tags stripped."""
    match = re.search(r'role="alert">(.*?)</(?:div|p)>', response.content.decode(), re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def textarea(response) -> str:
    match = re.search(r"<textarea[^>]*>(.*?)</textarea>", response.content.decode(), re.S)
    return match.group(1) if match else ""


def test_the_eleventh_comment_in_a_minute_is_refused_and_says_when_to_try_again(
    client, margin, member
):
    client.force_login(member)
    with time_machine.travel(NOW, tick=False):
        for n in range(10):
            assert post(client, margin, f"Thought {n}").status_code == 302
        response = post(client, margin, "One thought too many")

    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    assert alert(response) == (
        "You have posted 10 comments in the last minute. You can post again in 40 seconds."
    )
    # Without JavaScript: the passage page, with the words still in the form.
    assert "A paragraph and its comments" in response.content.decode()
    assert textarea(response) == "One thought too many"
    assert Comment.objects.filter(author=member).count() == 10
    assert not Comment.objects.filter(body="One thought too many").exists()


def test_posting_works_again_when_the_minute_is_over(client, margin, member):
    client.force_login(member)
    with time_machine.travel(NOW, tick=False):
        for n in range(10):
            post(client, margin, f"Thought {n}")
        refused = post(client, margin, "Later, then")
    assert refused.status_code == 429
    # The form kept its key: sending it again when told to posts it, once.
    key = re.search(r'name="idempotency_key" value="([^"]+)"', refused.content.decode())[1]
    with time_machine.travel(NEXT_MINUTE, tick=False):
        assert post(client, margin, "Later, then", key=key).status_code == 302
        assert post(client, margin, "Later, then", key=key).status_code == 302
    assert Comment.objects.filter(body="Later, then").count() == 1


def test_htmx_gets_the_panel_with_the_message_in_an_alert(client, margin, member, moderator):
    root = margin.comment(moderator, "A question?")
    client.force_login(member)
    with time_machine.travel(NOW, tick=False):
        for n in range(10):
            assert post(client, margin, f"Answer {n}", parent=root, htmx=True).status_code == 200
        response = post(client, margin, "My eleventh answer", parent=root, htmx=True)

    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="thread-panel"')
    assert "<html" not in html
    assert "You can post again in 40 seconds." in alert(response)
    # The reply form is back, open on the same comment, with the words kept.
    assert f'name="parent" value="{root.pk}"' in html
    assert textarea(response) == "My eleventh answer"
    assert root.replies.count() == 10


def test_the_daily_limit_says_at_what_time_in_the_persons_time_zone(
    client, margin, member, settings
):
    settings.COMMENTS_PER_DAY = 12
    member.time_zone = "Europe/Paris"  # an hour ahead of UTC in November
    member.save(update_fields=["time_zone"])
    client.force_login(member)
    with time_machine.travel("2026-11-22 10:00:00 +00:00", tick=False):
        for n in range(10):
            assert post(client, margin, f"Morning {n}").status_code == 302
    with time_machine.travel("2026-11-22 18:30:00 +00:00", tick=False):
        assert post(client, margin, "Evening 1").status_code == 302
        assert post(client, margin, "Evening 2").status_code == 302
        response = post(client, margin, "Evening 3")

    assert response.status_code == 429
    assert response["Retry-After"] == str(5 * 3600 + 30 * 60)  # to midnight UTC
    assert alert(response) == (
        "You have posted 12 comments since 01:00, the most for one day. "
        "You can post again at 01:00 tomorrow."
    )
    assert textarea(response) == "Evening 3"
    with time_machine.travel("2026-11-23 00:00:00 +00:00", tick=False):
        assert post(client, margin, "Evening 3").status_code == 302
    assert Comment.objects.filter(author=member).count() == 13


def test_refused_posts_do_not_count(client, margin, member, settings):
    settings.COMMENTS_PER_DAY = 12
    client.force_login(member)
    with time_machine.travel(NOW, tick=False):
        for n in range(10):
            post(client, margin, f"Thought {n}")
        for _ in range(5):
            assert post(client, margin, "Too soon").status_code == 429
    with time_machine.travel(NEXT_MINUTE, tick=False):
        # Had the five refusals counted, the day's limit (12) would be reached already.
        assert post(client, margin, "Eleventh").status_code == 302
        assert post(client, margin, "Twelfth").status_code == 302
        assert post(client, margin, "Thirteenth").status_code == 429
        assert limits.posts_counted(member, limits.DAY) == 12


def test_resending_a_posted_form_does_not_count(client, margin, member):
    client.force_login(member)
    key = uuid.uuid4()
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            assert post(client, margin, "Posted once", key=key).status_code == 302
        for n in range(9):
            assert post(client, margin, f"Thought {n}").status_code == 302
        assert limits.posts_counted(member, limits.MINUTE) == 10
        assert post(client, margin, "Eleventh").status_code == 429
    assert Comment.objects.filter(author=member).count() == 10


def test_each_person_has_their_own_count(client, margin, member, moderator):
    client.force_login(member)
    with time_machine.travel(NOW, tick=False):
        for n in range(10):
            post(client, margin, f"Thought {n}")
        assert post(client, margin, "Mine").status_code == 429
        client.force_login(moderator)
        assert post(client, margin, "Theirs").status_code == 302


def test_the_count_lives_in_the_shared_cache_that_every_process_uses(client, margin, member):
    client.force_login(member)
    with time_machine.travel(NOW, tick=False):
        for n in range(4):
            post(client, margin, f"Here {n}")
        # Another process: its own connection to the configured default cache.
        elsewhere = caches.create_connection("default")
        assert elsewhere is not caches["default"]
        assert limits.posts_counted(member, limits.MINUTE, cache=elsewhere) == 4
        for _ in range(6):
            limits.take_slot(member, cache=elsewhere)
        response = post(client, margin, "One too many, all processes together")
    assert response.status_code == 429


def test_edits_are_not_rate_limited(client, margin, member):
    client.force_login(member)
    with time_machine.travel(NOW, tick=False):
        for n in range(10):
            post(client, margin, f"Thought {n}")
        comment = Comment.objects.filter(author=member).first()
        url = f"/circles/{margin.circle.slug}/comments/{comment.pk}/edit/"
        assert client.post(url, {"body": "Thought, corrected"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Thought, corrected"


def test_the_defaults_are_ten_a_minute_and_two_hundred_a_day():
    assert (limits.MINUTE.limit, limits.DAY.limit) == (10, 200)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's in-memory test database locks whole tables"
)
@pytest.mark.django_db(transaction=True)
def test_posts_at_the_same_moment_never_pass_the_limit(organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    barrier = threading.Barrier(14)
    saved, refused = [], []

    def post_one(n: int) -> None:
        try:
            barrier.wait()
            saved.append(margin.comment(member, f"At once {n}").pk)
        except RateLimited as error:
            refused.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post_one, args=(n,)) for n in range(14)]
    with time_machine.travel(NOW, tick=False):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert (len(saved), len(refused)) == (10, 4)
        assert limits.posts_counted(member, limits.MINUTE) == 10
