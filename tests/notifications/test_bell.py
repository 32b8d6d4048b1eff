"""The bell in the header: a link to my notifications named with the unread count, costing
one query on a page that shows it and none for visitors."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussions.services import reply

# Notifications are made once a write commits: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)


def bell(html: str) -> str:
    return re.search(r'<a class="bell".*?</a>', html, re.S).group(0)


def text_of(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_the_bell_counts_unread_notifications(client, margin, member, moderator):
    client.force_login(member)
    assert text_of(bell(client.get("/").content.decode())) == "Notifications"
    root = margin.comment(member)
    reply(root, author=moderator, body="One.")
    margin.comment(moderator, "@Mina two.")
    link = bell(client.get("/").content.decode())
    assert 'href="/notifications/"' in link
    assert "Notifications, 2 unread" in text_of(link)  # the accessible name
    assert 'class="bell__count" aria-hidden="true" data-testid="bell-count">2<' in link


def test_visitors_have_no_bell_and_pay_no_query_for_it(client, margin):
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert 'class="bell"' not in html
    assert not any("notification" in query["sql"] for query in queries.captured_queries)


def test_the_bell_costs_one_query(client, member):
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    bell_queries = [q for q in queries.captured_queries if "notification" in q["sql"]]
    assert len(bell_queries) == 1


def test_a_page_without_the_header_does_not_count(client, margin, member):
    client.force_login(member)
    url = margin.passage_url()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200 and b"site-header" not in response.content
    assert not any("notification" in q["sql"] for q in queries.captured_queries)
