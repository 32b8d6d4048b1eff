"""A new reader signs up, verifies by email, logs in and sees their name."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

PASSWORD = "a lamp by the window"


def test_sign_up_in_tokyo_verify_and_read_times_in_tokyo(browser, live_server, settings):
    """The browser says where the reader is: the hidden field carries its zone, the notice
    says so, confirming the email logs them in, and Settings shows the zone to confirm."""
    settings.SITE_URL = live_server.url
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, timezone_id="Asia/Tokyo"
    )
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email:").fill("ada@example.org")
    page.get_by_label("Your name:").fill("Ada Lovelace")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    expect(page.get_by_text("Session times will show in Asia/Tokyo")).to_be_visible()

    assert len(mail.outbox) == 1
    assert "Hello from Marginalia!" in mail.outbox[0].body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("header-name")).to_have_text("Ada Lovelace")

    page.goto("/settings/")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/accounts/signup/"])
def test_pages_have_no_accessibility_violations(page, axe_check, url, viewport):
    page.set_viewport_size(viewport)
    page.goto(url)
    assert axe_check(page) == []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= viewport["width"], "the page scrolls sideways"
    assert page.console_errors == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_delete_account_page_is_accessible_with_and_without_an_error(
    page, axe_check, member, viewport
):
    from tests.e2e.test_moderation import assert_accessible, log_in

    page.set_viewport_size(viewport)
    log_in(page, member, "/settings/delete/")
    expect(page.get_by_role("heading", name="Delete your account")).to_be_visible()
    assert_accessible(page, axe_check)

    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()
    assert_accessible(page, axe_check)
    assert page.console_errors == []
