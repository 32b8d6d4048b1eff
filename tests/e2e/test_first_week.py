"""The pages a new circle meets in its first week, checked with axe: the error pages, the
delete-comment confirmation, the settings page's zone list, the email choices, and the
chapter in the dark theme chosen beside the text size (remembered on the next page)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, log_in


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_new_pages_pass_axe(page, axe_check, margin, member, organizer, viewport):
    comment = margin.comment(member, "Words I may regret")
    page.set_viewport_size(viewport)
    page.goto("/no/such/page/")
    expect(page.get_by_role("heading", name="This page is not here")).to_be_visible()
    assert_accessible(page, axe_check)

    log_in(page, member)
    page.goto(reverse("circles:circle-edit", args=[margin.circle.slug]))
    expect(page.get_by_role("heading", name="You cannot do that here")).to_be_visible()
    assert_accessible(page, axe_check)

    page.goto(reverse("discussions:comment-delete", args=[margin.circle.slug, comment.pk]))
    expect(page.get_by_role("heading", name="Delete your comment?")).to_be_visible()
    assert_accessible(page, axe_check)

    page.goto(reverse("accounts:settings"))
    zone = page.get_by_label("Time zone")
    zone.fill("Asia/Kolkata")
    assert_accessible(page, axe_check)

    page.goto(reverse("notifications:notification-settings"))
    page.get_by_role("button", name="Everything in the daily digest").click()
    expect(
        page.get_by_text("Everything that can wait now comes in one daily digest.")
    ).to_be_visible()
    assert_accessible(page, axe_check)
    # Chromium reports the 404 and 403 it was asked to open; nothing else went wrong.
    assert [e for e in page.console_errors if "status of 40" not in e] == []


def test_the_dark_theme_is_chosen_beside_the_text_size_and_remembered(
    page, axe_check, margin, member
):
    log_in(page, member)
    page.goto(margin.chapter_url())
    page.get_by_label("Theme").select_option("dark")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(23, 21, 19)"
    assert_accessible(page, axe_check)
    page.goto(reverse("circles:circle", args=[margin.circle.slug]))  # another page, no switch
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background
    page.goto(margin.chapter_url())
    expect(page.get_by_label("Theme")).to_have_value("dark")
    page.get_by_label("Theme").select_option("system")
    assert page.evaluate("document.documentElement.dataset.theme") is None
    assert page.console_errors == []
