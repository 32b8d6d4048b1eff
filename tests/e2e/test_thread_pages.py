"""A passage with many threads in a browser: "More threads" appends the next page and gives
its first thread the focus; "Show all replies" opens a long thread; both work with a
keyboard and pass axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from discussions.services import post_comment
from discussions.thread_pages import REPLIES_SHOWN, THREADS_PER_PAGE
from tests.e2e.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("posting_unlimited")]


def test_more_threads_and_all_replies(page, live_server, axe_check, margin, member, moderator):
    roots = [margin.comment(moderator, f"Thread {n}") for n in range(THREADS_PER_PAGE + 3)]
    oldest = roots[0]
    for n in range(REPLIES_SHOWN + 2):
        post_comment(circle=margin.circle, passage=None, author=member, body=f"Reply {n}",
                     parent=oldest)  # fmt: skip

    log_in(page, member)
    page.goto(margin.chapter_url())
    page.locator(f"#pm-{margin.passage.key} .passage__count").click()
    panel = page.locator("#thread-panel")
    panel.locator("article.thread").first.wait_for()
    # The long thread was replied to last: it leads, its first replies shown.
    assert panel.locator("article.thread").count() == THREADS_PER_PAGE
    assert_accessible(page, axe_check)

    more = panel.get_by_role("link", name="More threads")
    more.focus()
    page.keyboard.press("Enter")
    expect(panel.locator("article.thread")).to_have_count(len(roots))
    assert panel.get_by_role("link", name="More threads").count() == 0
    # The first thread that arrived takes the focus the link had (once the swap settles).
    expect(panel.locator(f"#t-{roots[-THREADS_PER_PAGE].pk}")).to_be_focused()

    show_all = panel.get_by_role("link", name="Show all replies in the thread started by Max")
    show_all.click()
    panel.get_by_text(f"Reply {REPLIES_SHOWN + 1}", exact=True).wait_for()
    assert panel.get_by_role("link", name="All threads on this paragraph").is_visible()
    assert_accessible(page, axe_check)
    assert page.console_errors == []
