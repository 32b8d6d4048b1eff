"""Refused posts in a browser: posting too fast, or a new account's links. The refusal appears
in the panel as an alert, the words stay in the form, and focus stays on them; without
JavaScript, the page says the same."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from discussions.models import Comment
from tests.e2e.conftest import DESKTOP, assert_accessible, log_in
from tests.factories import make_user

pytestmark = pytest.mark.e2e


@pytest.fixture
def one_a_minute(settings):
    settings.COMMENTS_PER_MINUTE = 1


@pytest.fixture
def fresh_minute():
    """A whole minute ahead, so the window does not turn over in the middle of the test."""
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(start, tick=True):
        yield


def test_the_refusal_is_announced_in_the_panel(
    page, axe_check, margin, member, moderator, one_a_minute, fresh_minute
):
    margin.comment(moderator, "Something to answer")
    log_in(page, member)
    page.goto(margin.chapter_url())
    page.locator(f"#pm-{margin.passage.key} .passage__count").click()
    page.get_by_role("link", name="New comment on this paragraph").click()
    page.get_by_label("Your comment").fill("My first thought")
    page.get_by_role("button", name="Post comment").click()
    page.locator("#thread-panel .comment__body", has_text="My first thought").wait_for()

    page.get_by_role("link", name="New comment on this paragraph").click()
    page.get_by_label("Your comment").fill("A second thought, too soon")
    page.get_by_role("button", name="Post comment").click()
    alert = page.locator("#thread-panel [role=alert]")
    alert.wait_for()
    assert re.search(
        r"You have posted 1 comment in the last minute\. You can post again in \d+ seconds?\.",
        alert.inner_text(),
    )
    assert page.get_by_label("Your comment").input_value() == "A second thought, too soon"
    page.wait_for_function("() => document.activeElement.id === 'new-comment-body'")
    assert page.locator("#thread-panel .comment__body", has_text="second thought").count() == 0
    # At the top: scrolled down to the form, the chapter's filter links sit half under the
    # sticky chapter bar, which axe's target-size rule flags with or without this message.
    page.evaluate("window.scrollTo(0, 0)")
    assert_accessible(page, axe_check)
    # The browser reports the 429 itself; nothing else went wrong.
    assert page.console_errors == []


def test_without_javascript(browser, live_server, margin, member, one_a_minute, fresh_minute):
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, java_script_enabled=False
    )
    page = context.new_page()
    log_in(page, member)
    page.goto(margin.passage_url())
    page.get_by_label("Your comment").fill("First")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url(re.compile(r"#c-\d+$"))
    page.get_by_role("link", name="New comment on this paragraph").click()
    page.get_by_label("Your comment").fill("Second, too soon")
    response_status = []
    page.on("response", lambda response: response_status.append(response.status))
    page.get_by_role("button", name="Post comment").click()
    page.locator("[role=alert]", has_text="You can post again in").wait_for()
    assert 429 in response_status
    assert page.get_by_label("Your comment").input_value() == "Second, too soon"
    context.close()


def test_a_refused_post_says_why_in_the_panel_and_keeps_the_words(page, axe_check, margin):
    """A new account's comment with too many links answers 422: htmx swaps the panel in with
    the form as it was and the message, like any answer (base.html's one swap rule)."""
    newcomer = make_user("nell.new@example.org", display_name="Nell")
    margin.circle.add_member(newcomer)
    log_in(page, newcomer)
    page.goto(margin.chapter_url())
    page.locator(f"#p-{margin.passage.key} .passage__comment").click()
    links = "See [one](https://a.example), [two](https://b.example), [three](https://c.example)"
    page.get_by_label("Your comment").fill(links)
    with page.expect_response(lambda response: response.status == 422):
        page.get_by_role("button", name="Post comment").click()
    alert = page.locator("#thread-panel [role=alert]")
    expect(alert).to_contain_text("A new account may put at most 2 links in a comment")
    assert page.get_by_label("Your comment").input_value() == links
    assert Comment.objects.filter(author=newcomer).count() == 0
    page.evaluate("window.scrollTo(0, 0)")
    assert_accessible(page, axe_check)
    assert page.console_errors == []
