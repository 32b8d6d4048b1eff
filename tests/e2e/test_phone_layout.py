"""A chapter on a phone (375 × 812): the text starts in the first quarter of the screen, the
reading bar stays at the bottom and never covers the thread panel's heading or its Close."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import make_meeting

PHONE = {"width": 375, "height": 812}


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
        or a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
    )


def test_the_text_starts_in_the_first_quarter_and_the_bar_covers_nothing(
    browser, live_server, axe_check, margin, member, moderator
):
    make_meeting(margin.circle, margin.reading, title="Chapters one and two", first=1, last=2)
    margin.comment(moderator, "A first thought")
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    log_in(page, member)
    page.goto(margin.chapter_url())
    expect(page.get_by_text("Next up")).to_be_visible()

    first = page.locator("#passages .passage").first.bounding_box()
    assert first["y"] <= PHONE["height"] / 4
    bar = page.locator(".reader-bar").bounding_box()
    assert bar["y"] + bar["height"] == PHONE["height"]  # at the bottom of the screen
    assert_accessible(page, axe_check)

    page.locator(f"#pm-{margin.passage.key} .passage__count").click()
    heading = page.locator("#thread-panel-title")
    expect(heading).to_be_focused()
    close = page.locator("#thread-panel .thread-panel__close")
    for part in (heading, close):
        part.scroll_into_view_if_needed()
        assert not overlaps(part.bounding_box(), page.locator(".reader-bar").bounding_box())
    # Scrolled so the heading is at the very top: still clear of the bar.
    page.evaluate("document.getElementById('thread-panel-title').scrollIntoView()")
    assert not overlaps(heading.bounding_box(), page.locator(".reader-bar").bounding_box())
    assert_accessible(page, axe_check)
    # The site's links are in the account menu there.
    page.get_by_text("Mina", exact=True).click()
    expect(page.locator(".menu__site-links").get_by_role("link", name="Library")).to_be_visible()
    context.close()
