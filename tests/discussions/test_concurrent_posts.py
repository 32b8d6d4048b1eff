"""The same form sent twice at once (a double tap, a resend) makes one comment, and both
requests answer with it: neither fails.

The race: both look the key up and find nothing, both insert, one insert hits the unique key.
`racing` replays it in one thread on any database (the other request commits between this
one's look-up and its insert); the last test runs two real requests at once, on PostgreSQL.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from discussions import limits, services
from discussions.models import Comment
from discussions.services import post_comment
from tests.factories import make_margin
from tests.permission_matrix import client_as


def racing(monkeypatch, other_request) -> list:
    """Run `other_request()` once, after the next post has looked up its key and before it
    inserts (the rate limit is checked in between). Returns what it returned, in a list."""
    real = services.check_rate_limit
    ran: list = []

    def check(user, circle):
        if not ran:
            ran.append(None)
            ran[0] = other_request()
        return real(user, circle)

    monkeypatch.setattr(services, "check_rate_limit", check)
    return ran


def form(key: uuid.UUID) -> dict:
    return {"body": "Same words", "idempotency_key": str(key), "start": 0, "end": 5}


@pytest.mark.django_db
def test_the_post_that_loses_the_race_returns_the_winner(monkeypatch, margin, member):
    key = uuid.uuid4()
    winner = racing(monkeypatch, lambda: margin.comment(member, "Same words", idempotency_key=key))
    loser = post_comment(
        circle=margin.circle,
        passage=margin.passage,
        author=member,
        body="Same words",
        idempotency_key=key,
    )
    assert not loser.created and loser.comment.pk == winner[0].pk
    assert Comment.objects.filter(idempotency_key=key).count() == 1
    assert limits.posts_counted(member, limits.MINUTE) == 1  # the loser's slot is given back


@pytest.mark.django_db
def test_the_request_that_loses_the_race_redirects_to_the_winner(monkeypatch, margin, member):
    key = uuid.uuid4()
    winner = racing(monkeypatch, lambda: margin.comment(member, "Same words", idempotency_key=key))
    response = client_as(member).post(margin.create_url(), form(key))
    assert response.status_code == 302
    assert response["Location"] == winner[0].get_absolute_url()
    assert Comment.objects.filter(idempotency_key=key).count() == 1


@pytest.mark.django_db
def test_over_htmx_the_loser_gets_the_panel_with_the_one_comment(monkeypatch, margin, member):
    key = uuid.uuid4()
    winner = racing(monkeypatch, lambda: margin.comment(member, "Same words", idempotency_key=key))
    response = client_as(member).post(
        margin.create_url(), form(key), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(f'id="c-{winner[0].pk}"') == 1 and html.count("Same words") == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database locks whole tables: the second request fails",
)
@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_once_both_get_the_one_comment(organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    key = uuid.uuid4()
    clients = [client_as(member), client_as(member)]
    barrier = threading.Barrier(2)
    responses, errors = [], []

    def send(client) -> None:
        try:
            barrier.wait()
            responses.append(client.post(margin.create_url(), form(key)))
        except Exception as error:  # noqa: BLE001 - a 500 raises here; reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    comment = Comment.objects.get(idempotency_key=key)
    assert [response.status_code for response in responses] == [302, 302]
    assert {response["Location"] for response in responses} == {comment.get_absolute_url()}
