"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from collections.abc import Iterator

import pytest
from django.core.signals import request_finished, request_started
from playwright.sync_api import expect

from accounts.second_factor import current_code
from tests.factories import PASSWORD, TOTP_SECRET

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous calls, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


class RequestsInFlight:
    """How many requests the live server is handling now, and when it last finished one.

    Only the live server's requests count (each runs in a thread of its own, which ends the
    request it started): the test client's, made in the test's thread, are over when it
    returns, even when nobody closes the response that would send `request_finished`.
    """

    def __init__(self) -> None:
        self.count = 0
        self.last_change = time.monotonic()
        self.lock = threading.Lock()
        self.local = threading.local()
        request_started.connect(self.started, weak=False)
        request_finished.connect(self.finished, weak=False)

    def started(self, environ=None, **kwargs) -> None:
        if (environ or {}).get("SERVER_NAME") == "testserver":
            return
        self.local.counted = True
        with self.lock:
            self.count += 1
            self.last_change = time.monotonic()

    def finished(self, **kwargs) -> None:
        if not getattr(self.local, "counted", False):
            return
        self.local.counted = False
        with self.lock:
            self.count -= 1
            self.last_change = time.monotonic()

    def wait_until_quiet(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.count <= 0 and time.monotonic() - self.last_change >= quiet:
                    return
            time.sleep(0.05)


IN_FLIGHT = RequestsInFlight()


@pytest.fixture(autouse=True)
def quiet_server_at_teardown(live_server) -> Iterator[None]:
    """Before the test database is emptied, let the live server finish what the pages sent
    as they closed (reader.js posts the reading progress when a page is hidden): emptying
    the tables under a request still writing to them deadlocks on PostgreSQL."""
    yield
    IN_FLIGHT.wait_until_quiet()


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []

    def console(message) -> None:
        # Chromium reports every 4xx answer as an error; a refused form (422, shown again with
        # its message) and a posting limit (429) are answers the tests ask for.
        if message.type == "error" and not re.search(r"status of 42[29]\b", message.text):
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    for open_page in context.pages:
        open_page.goto("about:blank")  # a page that is left sends its last progress now
    context.close()


@pytest.fixture
def axe_check():
    """`axe_check(page)` → the WCAG 2.2 A/AA violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page) -> list[dict]:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        return [
            {
                "id": violation["id"],
                "help": violation["help"],
                "targets": [node["target"] for node in violation["nodes"]],
            }
            for violation in results.response["violations"]
        ]

    return check


@pytest.fixture
def margin(transactional_db, margin):
    """The shared margin, committed where the live server's threads can read it."""
    return margin


def log_in(page, who, next_url: str | None = None) -> None:
    """Sign in as `who` (a person or an email address) through the login form (opened unless
    the page shows it already, then going on to `next_url`), and wait until the header
    names them."""
    email = who if isinstance(who, str) else who.email
    if next_url is not None or "/accounts/login/" not in page.url:
        page.goto("/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/2fa/authenticate/" in page.url:  # staff: their authenticator app's code
        page.get_by_label("Code").fill(current_code(TOTP_SECRET))
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(lambda url: "/accounts/2fa/" not in url)
    if "/admin/" not in page.url:  # the admin has a header of its own
        expect(page.get_by_test_id("header-name")).to_be_visible()


def assert_accessible(page, axe_check) -> None:
    """No WCAG 2.2 A/AA violation on the page as it is now, and nothing wider than the screen."""
    assert axe_check(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
