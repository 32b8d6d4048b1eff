"""A passage whose discussion keeps growing: its page and panel show threads a page at a time
(the most recently active first, "More threads" for the next, with or without JavaScript),
each thread its first replies with the rest behind "Show all replies"; and the page, the
panel and posting cost the same number of queries with 10 comments or 1,000."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussions.models import Comment
from discussions.services import post_comment
from discussions.thread_pages import REPLIES_PER_PAGE, REPLIES_SHOWN, THREADS_PER_PAGE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("posting_unlimited")]

START = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
THREAD = re.compile(r'<article class="thread[^"]*" id="t-(\d+)"')
COMMENT = 'class="comment comment--depth'


def threads_in(html: str) -> list[int]:
    return [int(pk) for pk in THREAD.findall(html)]


def discussion(margin, people, threads: int, replies: int = 0, *, start: dt.datetime = START):
    """`threads` threads on the margin's passage, a minute apart, and `replies` replies to the
    first of them (each to the one before, now and then to the thread). Returns the roots,
    oldest first."""
    roots = []
    with time_machine.travel(start, tick=False) as clock:
        for n in range(threads):
            clock.shift(60)
            roots.append(margin.comment(people[n % len(people)], f"Thread {n}"))
        parent = roots[0] if roots else None
        for n in range(replies):
            clock.shift(60)
            parent = post_comment(
                circle=margin.circle, passage=None, author=people[n % len(people)],
                body=f"Reply {n}", parent=parent if n % 3 else roots[0],
            ).comment  # fmt: skip
    return roots


@pytest.fixture
def people(organizer, moderator, member):
    return [organizer, moderator, member]


# --- threads a page at a time ----------------------------------------------------------------


def test_threads_come_a_page_at_a_time_most_recently_active_first(client, margin, people):
    roots = discussion(margin, people, THREADS_PER_PAGE * 2 + 5)
    newest_first = [root.pk for root in reversed(roots)]
    client.force_login(people[2])

    first = client.get(margin.passage_url()).content.decode()
    assert threads_in(first) == newest_first[:THREADS_PER_PAGE]
    assert f'href="{margin.passage_url()}?page=2" ' in first and "More threads" in first
    assert "Newer threads" not in first

    second = client.get(margin.passage_url() + "?page=2").content.decode()
    assert threads_in(second) == newest_first[THREADS_PER_PAGE : THREADS_PER_PAGE * 2]
    assert f'href="{margin.passage_url()}" ' in second and "Newer threads" in second
    third = client.get(margin.passage_url() + "?page=3").content.decode()
    assert threads_in(third) == newest_first[THREADS_PER_PAGE * 2 :]
    assert "More threads" not in third
    # The count is of the whole passage, not of the page.
    assert f"{len(roots)} comments" in third


def test_a_reply_brings_its_thread_to_the_first_page(client, margin, people):
    roots = discussion(margin, people, THREADS_PER_PAGE + 3)
    oldest = roots[0]
    client.force_login(people[2])
    assert oldest.pk not in threads_in(client.get(margin.passage_url()).content.decode())
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        post_comment(circle=margin.circle, passage=None, author=people[1], body="Back to it",
                     parent=oldest)  # fmt: skip
    assert threads_in(client.get(margin.passage_url()).content.decode())[0] == oldest.pk


def test_more_threads_over_htmx_sends_only_the_next_threads_and_link(client, margin, people):
    roots = discussion(margin, people, THREADS_PER_PAGE * 2 + 1)
    client.force_login(people[2])
    panel = client.get(margin.passage_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-hx-target="closest .thread-panel__more"' in panel
    more = client.get(margin.passage_url() + "?page=2", HTTP_HX_REQUEST="true")
    html = more.content.decode()
    assert 'id="thread-panel"' not in html  # not the panel: its next threads
    assert threads_in(html) == [r.pk for r in reversed(roots)][THREADS_PER_PAGE:-1]
    assert f'data-hx-get="{margin.passage_url()}?page=3"' in html
    assert "data-arrived" in html  # the first of them takes the focus


# --- replies beyond a count -------------------------------------------------------------------


def late_reply(root):
    return type(root).objects.filter(root=root).order_by("-created_at", "-pk").first()


def test_a_long_thread_shows_its_first_replies_and_the_rest_on_request(client, margin, people):
    [root] = discussion(margin, people, 1, replies=REPLIES_SHOWN + 5)
    client.force_login(people[2])
    page = client.get(margin.passage_url()).content.decode()
    assert page.count(COMMENT) == 1 + REPLIES_SHOWN
    assert "Reply 0<" in page and f"Reply {REPLIES_SHOWN}<" not in page
    assert "Show all replies" in page and "(5 more)" in page
    full_url = f"{margin.passage_url()}?thread={root.pk}"
    assert f'href="{full_url}#t-{root.pk}"' in page

    full = client.get(full_url).content.decode()
    assert full.count(COMMENT) == 1 + REPLIES_SHOWN + 5
    assert "Show all replies" not in full and "All threads on this" in full


def test_a_thread_opened_in_full_shows_its_replies_a_page_at_a_time(client, margin, people):
    [root] = discussion(margin, people, 1, replies=REPLIES_PER_PAGE + 7)
    client.force_login(people[2])
    full_url = f"{margin.passage_url()}?thread={root.pk}"
    first = client.get(full_url).content.decode()
    assert first.count(COMMENT) == 1 + REPLIES_PER_PAGE
    later = f"{full_url}&amp;from={REPLIES_PER_PAGE}"
    assert f'href="{later}"' in first and "Later replies" in first
    second = client.get(f"{full_url}&from={REPLIES_PER_PAGE}").content.decode()
    # The thread's first comment, then the last 7 replies; a reply whose parent was on the
    # earlier page says whom it answers.
    assert second.count(COMMENT) == 1 + 7
    assert f"Reply {REPLIES_PER_PAGE + 6}<" in second and "Reply 0<" not in second
    assert "replying to @" in second
    assert "Earlier replies" in second and "Later replies" not in second


def test_a_link_to_a_collapsed_reply_shows_it(client, margin, people):
    [root] = discussion(margin, people, 1, replies=REPLIES_SHOWN + 3)
    late = late_reply(root)
    assert late.get_absolute_url() == f"{margin.passage_url()}?c={late.pk}#c-{late.pk}"
    client.force_login(people[2])
    assert f'id="c-{late.pk}"' not in client.get(margin.passage_url()).content.decode()
    page = client.get(late.get_absolute_url()).content.decode()
    assert f'id="c-{late.pk}"' in page
    assert "(2 more)" in page  # the others stay collapsed


def test_replying_to_a_collapsed_reply_without_javascript_shows_the_form(client, margin, people):
    [root] = discussion(margin, people, 1, replies=REPLIES_SHOWN + 3)
    late = late_reply(root)
    client.force_login(people[2])
    page = client.get(f"{margin.passage_url()}?reply={late.pk}").content.decode()
    assert f'id="c-{late.pk}"' in page
    assert 'id="reply-body"' in page


def test_posting_a_late_reply_over_htmx_answers_with_it_in_its_thread(client, margin, people):
    [root] = discussion(margin, people, 1, replies=REPLIES_SHOWN + 3)
    client.force_login(people[2])
    data = {"body": "The latest word.", "parent": root.pk, "idempotency_key": uuid.uuid4()}
    html = client.post(margin.create_url(), data, HTTP_HX_REQUEST="true").content.decode()
    assert "The latest word." in html
    assert html.count(COMMENT) == 1 + REPLIES_SHOWN + 1
    assert "(3 more)" in html


# --- flat costs -------------------------------------------------------------------------------


def queries(client, method: str, url: str, **kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code in (200, 302), response.status_code
    return len(captured)


def costs(client, margin, people, root) -> dict[str, int]:
    htmx = {"HTTP_HX_REQUEST": "true"}
    post = {"body": "Another thought.", "idempotency_key": str(uuid.uuid4())}
    reply = {"body": "Another reply.", "parent": root.pk, "idempotency_key": str(uuid.uuid4())}
    client.get(margin.passage_url())  # warm: what is cached per version (the chapter's neighbours)
    return {
        "passage page": queries(client, "get", margin.passage_url()),
        "thread panel": queries(client, "get", margin.passage_url(), **htmx),
        "post, redirected": queries(client, "post", margin.create_url(), data=post),
        "reply, panel": queries(client, "post", margin.create_url(), data=reply, **htmx),
    }


def test_page_panel_and_posting_cost_the_same_queries_for_10_or_1000_comments(
    client, margin, people, organizer, moderator, member
):
    client.force_login(member)
    roots = discussion(margin, people, 5, replies=5)
    small = costs(client, margin, people, roots[0])
    # Now 1,000 on the same passage: many threads, and one thread of 600 replies.
    more = discussion(margin, people, 390, start=START + dt.timedelta(days=2))
    with time_machine.travel(START + dt.timedelta(days=3), tick=False) as clock:
        parent = more[-1]
        for n in range(600):
            clock.shift(1)
            parent = post_comment(circle=margin.circle, passage=None, author=people[n % 3],
                                  body=f"Long {n}", parent=parent).comment  # fmt: skip
    assert Comment.objects.filter(passage=margin.passage).count() >= 1000
    large = costs(client, margin, people, more[-1])
    assert large == small
    page = client.get(margin.passage_url()).content.decode()
    assert page.count(COMMENT) <= THREADS_PER_PAGE * (1 + REPLIES_SHOWN)


# --- valid HTML -------------------------------------------------------------------------------

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.one_database
@pytest.mark.skipif(not VNU.exists(), reason="vnu.jar missing: run `npm ci` (as .ci/run does)")
@pytest.mark.skipif(not shutil.which("java"), reason="no Java runtime for the Nu HTML Checker")
def test_the_pages_of_threads_and_replies_are_valid_html(client, margin, people, tmp_path):
    """The passage page as a first and a later page of threads, a long thread collapsed, and
    opened at its first and its second page of replies (the demo's crawl reaches none)."""
    roots = discussion(margin, people, THREADS_PER_PAGE + 2, replies=REPLIES_PER_PAGE + 3)
    client.force_login(people[2])
    full = f"{margin.passage_url()}?thread={roots[0].pk}"
    paths = [margin.passage_url(), f"{margin.passage_url()}?page=2", full]
    paths.append(f"{full}&from={REPLIES_PER_PAGE}")
    files = []
    for n, path in enumerate(paths):
        html = client.get(path).content.decode()
        assert "More threads" in html or "Newer threads" in html or "replies" in html
        files.append(tmp_path / f"page-{n}.html")
        files[-1].write_text(html)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always",
         *map(str, files)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    assert [m["message"] for m in messages if m.get("type") == "error"] == []
