"""Notifications in a browser: a member is replied to by another member, sees the bell count
go up, opens the notification and lands on the reply; axe on the list and the email choices,
on a phone and a desktop."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from notifications.models import Notification
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, log_in

pytestmark = pytest.mark.e2e


def test_a_reply_rings_the_bell_and_leads_to_the_reply(
    page, browser, live_server, axe_check, margin, member, moderator
):
    margin.comment(member, "Is this the thesis in one line?", start=0, end=12)
    log_in(page, member)
    bell = page.get_by_role("link", name=re.compile(r"^Notifications"))
    assert bell.get_attribute("href") == "/notifications/"
    assert page.get_by_test_id("bell-count").count() == 0

    # Another member replies, in their own browser.
    other = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    second = other.new_page()
    log_in(second, moderator)
    second.goto(margin.chapter_url())
    second.locator(f"#pt-{margin.passage.key} .hl-open").first.click()
    second.get_by_role("link", name="Reply to Mina").click()
    second.get_by_label("Reply to Mina").fill("I read it as the premise.")
    second.get_by_role("button", name="Post reply").click()
    second.locator(".comment--depth-1 .comment__body", has_text="the premise").wait_for()
    other.close()

    page.reload()
    page.get_by_role("link", name="Notifications, 1 unread").wait_for()
    assert page.get_by_test_id("bell-count").inner_text() == "1"
    page.get_by_role("link", name="Notifications, 1 unread").click()
    page.wait_for_url("**/notifications/")
    assert page.get_by_role("heading", name="Notifications").is_visible()
    item = page.locator(".notification--unread")
    assert "Unread" in item.inner_text()
    assert "Max replied to your comment" in item.inner_text()
    assert_accessible(page, axe_check)
    page.set_viewport_size(PHONE)
    assert_accessible(page, axe_check)
    page.set_viewport_size(DESKTOP)

    item.get_by_role("button", name="Max replied to your comment", exact=True).click()
    reply = Notification.objects.get(recipient=member).comment
    # A reply's address shows it wherever it is in its thread (`?c=`).
    page.wait_for_url(re.compile(rf"/p/{margin.passage.key}/\?c={reply.pk}#c-{reply.pk}$"))
    target = page.locator(f"#c-{reply.pk}")
    assert "I read it as the premise." in target.inner_text()
    assert target.is_visible()
    assert page.get_by_role("link", name="Notifications", exact=True).count() == 1
    assert page.console_errors == []


def test_the_email_choices_form_is_accessible_and_saves(page, axe_check, margin, member):
    log_in(page, member)
    page.goto("/settings/")
    page.get_by_role("link", name="Email choices").first.click()
    page.wait_for_url("**/notifications/settings/")
    assert_accessible(page, axe_check)
    page.get_by_label("Someone comments in a thread I took part in").select_option("digest")
    page.get_by_role("button", name="Save email choices").click()
    page.get_by_text("Your email choices are saved.").wait_for()
    assert page.get_by_label("Someone comments in a thread I took part in").input_value() == (
        "digest"
    )
    page.set_viewport_size(PHONE)
    assert_accessible(page, axe_check)


def test_the_empty_list_and_mark_all_read_without_javascript(
    browser, live_server, margin, member, moderator
):
    """No axe here: axe runs as JavaScript in the page, which this context turns off; the
    list passes axe in the tests above."""
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, java_script_enabled=False
    )
    page = context.new_page()
    margin.comment(moderator, "@Mina, one.")
    margin.comment(moderator, "@Mina, two.")
    log_in(page, member)
    page.goto("/notifications/")
    assert page.locator(".notification--unread").count() == 2
    page.get_by_role("button", name="Mark all read").click()
    page.get_by_text("2 notifications marked read.").wait_for()
    assert page.locator(".notification--unread").count() == 0
    assert page.get_by_role("link", name="Notifications", exact=True).count() == 1
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_unsubscribe_page_is_accessible_and_stops_the_emails(
    page, axe_check, margin, member, viewport
):
    from notifications.emails import stop_url
    from notifications.models import EmailKind, EmailPreference, Frequency

    page.set_viewport_size(viewport)
    page.goto(stop_url(member, EmailKind.REPLY).removeprefix(settings.SITE_URL))
    page.get_by_role("heading", name="Stop these emails?").wait_for()
    assert_accessible(page, axe_check)

    page.get_by_role("button", name="Stop these emails").click()
    page.get_by_role("heading", name="Done: no more of these emails").wait_for()
    assert_accessible(page, axe_check)
    preference = EmailPreference.objects.get(user=member, kind=EmailKind.REPLY)
    assert preference.frequency == Frequency.NEVER
    assert page.console_errors == []
