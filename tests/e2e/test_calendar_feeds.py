"""Calendar feeds in the browser: the addresses the pages offer (webcal, https, Copy), and every
feed read by ical.js — Thunderbird's iCalendar parser, the npm package `ical.js` loaded from
node_modules/ (installed by .ci/run, never from a CDN) — gives the database's times."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.circles.calendar_readers import (
    CLOCK_CHANGES,
    expected_times,
    make_clock_change_sessions,
)
from tests.e2e.conftest import DESKTOP
from tests.e2e.test_margin import assert_accessible, log_in
from tests.factories import make_circle, make_reading, make_user

pytestmark = pytest.mark.e2e

# The UMD build of the package: it defines `window.ICAL` when run as a plain script.
ICAL_JS = Path(settings.BASE_DIR) / "node_modules" / "ical.js" / "dist" / "ical.es5.cjs"

READ_FEEDS = """async (urls) => {
    const times = {};
    for (const url of urls) {
        const response = await fetch(url);
        if (!response.ok) throw new Error(url + ": " + response.status);
        const calendar = new ICAL.Component(ICAL.parse(await response.text()));
        for (const vevent of calendar.getAllSubcomponents("vevent")) {
            const event = new ICAL.Event(vevent);
            times[event.uid] = [
                event.startDate.toJSDate().toISOString(),
                event.endDate.toJSDate().toISOString(),
            ];
        }
    }
    return times;
}"""


@pytest.fixture
def world(transactional_db):
    organizer = make_user("olive@example.org", display_name="Olive")
    member = make_user("mina@example.org", display_name="Mina")
    reading = make_reading("Walden", chapters=2)
    circles = {}
    for n, zone in enumerate(CLOCK_CHANGES):
        circle = make_circle(organizer, name=f"Circle {n}", time_zone=zone, readings=[reading])
        circle.add_member(member)
        circles[zone] = (circle, make_clock_change_sessions(circle))
    return member, circles


@pytest.fixture
def ical_page(browser, live_server):
    """A page whose every document gets ical.js, read from disk, before its own scripts (an
    init script: the page's CSP, which allows no inline script, does not apply to it). The
    browser's own zone is far from the circles', so nothing passes by being read as local."""
    if not ICAL_JS.exists():
        pytest.skip(f"ical.js is not installed at {ICAL_JS} (run `npm ci`, as .ci/run does)")
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, timezone_id="Pacific/Auckland"
    )
    context.set_default_timeout(10_000)
    context.add_init_script(path=str(ICAL_JS))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    context.close()


def read_with_ical_js(page, urls: list[str]) -> dict[str, tuple[datetime, datetime]]:
    assert page.evaluate("typeof ICAL.parse") == "function"
    times = page.evaluate(READ_FEEDS, urls)
    return {
        uid: (datetime.fromisoformat(start), datetime.fromisoformat(end))
        for uid, (start, end) in times.items()
    }


def assert_read_right(times: dict, meetings: list) -> None:
    expected = expected_times(meetings)
    assert set(times) == set(expected)
    for uid, (start, end) in times.items():
        assert end > start, f"ical.js reads {uid} as {start}..{end}"
        assert (start, end) == expected[uid], f"ical.js reads {uid} wrongly"


def test_ical_js_reads_every_feed_as_the_database_has_it(ical_page, axe_check, world):
    page = ical_page
    member, circles = world
    log_in(page, member)

    # The personal feed, at the address the settings page gives.
    page.goto(reverse("accounts:settings"))
    personal = page.get_by_label("Personal calendar address").input_value()
    path = reverse("circles:personal-calendar", args=[member.calendar_token])
    assert personal.endswith(path)
    everything = [m for _, meetings in circles.values() for m in meetings]
    assert_read_right(read_with_ical_js(page, [personal]), everything)

    for circle, meetings in circles.values():
        # Each circle's feed, at the address its page gives.
        page.goto(circle.get_absolute_url())
        feed = page.locator("#circle-feed-url").input_value()
        assert_read_right(read_with_ical_js(page, [feed]), meetings)
        # Each session's download.
        downloads = [
            reverse("circles:meeting-ics", args=[circle.slug, meeting.pk]) for meeting in meetings
        ]
        for meeting, url in zip(meetings, downloads, strict=True):
            assert_read_right(read_with_ical_js(page, [url]), [meeting])
    page.goto(meetings[0].get_absolute_url())
    assert (
        page.get_by_role("link", name="Download this session (.ics)").get_attribute("href")
        == downloads[0]
    )
    assert_accessible(page, axe_check)
    assert page.console_errors == []


def test_a_feed_is_offered_as_webcal_and_https_with_a_copy_button(page, axe_check, world):
    member, circles = world
    circle, _ = circles["Europe/London"]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, member)
    for url, label, path in (
        (
            reverse("accounts:settings"),
            "Personal calendar address",
            reverse("circles:personal-calendar", args=[member.calendar_token]),
        ),
        (
            circle.get_absolute_url(),
            "The circle’s calendar address, to paste into your calendar program",
            reverse("circles:circle-calendar", args=[circle.slug]),
        ),
    ):
        page.goto(url)
        host = page.evaluate("location.host")
        field = page.get_by_label(label)
        assert field.input_value() == f"http://{host}{path}"
        webcal = page.locator(f'a[href="webcal://{host}{path}"]')
        assert webcal.is_visible()
        assert page.locator(f'a[href="{path}"]').is_visible()
        copy = page.get_by_role("button", name="Copy the address")
        copy.click()
        page.wait_for_function(
            "() => document.querySelector('[role=status][data-copy-status]').textContent"
            " === 'Address copied.'"
        )
        assert page.evaluate("navigator.clipboard.readText()") == f"http://{host}{path}"
        assert_accessible(page, axe_check)
    assert page.console_errors == []


def test_without_javascript_the_address_is_there_and_no_dead_button(browser, live_server, world):
    member, circles = world
    circle, _ = circles["Europe/London"]
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(circle.get_absolute_url())
    path = reverse("circles:circle-calendar", args=[circle.slug])
    assert page.locator("#circle-feed-url").input_value().endswith(path)
    assert page.get_by_role("button", name="Copy the address").count() == 0  # hidden
    context.close()
