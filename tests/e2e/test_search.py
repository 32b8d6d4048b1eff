"""Search in a browser, from the keyboard: "/" focuses the reader's search box, Enter
searches, the results are links to the passages; the circle's discussion search with its
filters; the library's search of the text. axe on each page, at phone and desktop widths;
and the reader's search without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from readings.models import Passage
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, log_in

pytestmark = pytest.mark.e2e


def both_widths(page, axe_check) -> None:
    assert_accessible(page, axe_check)
    page.set_viewport_size(PHONE)
    assert_accessible(page, axe_check)
    page.set_viewport_size(DESKTOP)


def test_slash_focuses_the_readers_search_and_a_result_leads_to_the_passage(
    page, axe_check, margin, member
):
    log_in(page, member, margin.chapter_url(1))
    page.locator("body").press("/")
    box = page.get_by_role("searchbox", name="Search this reading")
    expect(box).to_be_focused()
    box.type("word2x4 word2x5")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    expect(page.get_by_role("heading", level=2)).to_have_text("2 passages match “word2x4 word2x5”")
    both_widths(page, axe_check)
    passage = Passage.objects.in_chapter(margin.reading.chapters.get(number=2)).first()
    page.locator(f'a[href$="#p-{passage.key}"]').first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/2/#p-{passage.key}$"))
    expect(page.locator(f"#p-{passage.key}")).to_be_visible()


def test_the_discussion_search_and_its_filters(page, axe_check, margin, member, moderator):
    root = margin.comment(moderator, "The lighthouse is a symbol.")
    log_in(page, member, margin.circle.get_absolute_url())
    box = page.get_by_role("searchbox", name="Search the discussion")
    box.fill("lighthouse")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=lighthouse"))
    expect(page.get_by_role("heading", level=2)).to_have_text("1 comment matches “lighthouse”")
    page.get_by_label("Written by").select_option(label="Max")
    page.get_by_label("Only threads nobody has answered").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("1 comment matches “lighthouse”")
    both_widths(page, axe_check)
    page.get_by_role("link", name=re.compile("Max started a thread")).click()
    page.wait_for_url(re.compile(rf"#c-{root.pk}$"))


def test_the_librarys_search_finds_the_text(page, axe_check, margin):
    page.goto(reverse("readings:library") + "?q=word3x1")
    expect(page.get_by_role("heading", name="In the text")).to_be_visible()
    both_widths(page, axe_check)


def test_the_readers_search_works_without_javascript(browser, live_server, margin):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(reverse("readings:chapter", args=[margin.reading.slug, 1]))
    page.get_by_role("searchbox", name="Search this reading").fill("word1x2")
    page.get_by_role("searchbox", name="Search this reading").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=word1x2"))
    expect(page.get_by_role("heading", level=2)).to_have_text("2 passages match “word1x2”")
    context.close()


def test_slash_is_a_shortcut_that_turning_shortcuts_off_turns_off(page, margin):
    page.goto(reverse("readings:chapter", args=[margin.reading.slug, 1]))
    box = page.get_by_role("searchbox", name="Search this reading")
    page.locator("body").press("/")
    expect(box).to_be_focused()
    page.evaluate("localStorage.setItem('marginalia.shortcuts', 'off')")
    page.reload()
    page.locator("body").press("/")
    expect(box).not_to_be_focused()
