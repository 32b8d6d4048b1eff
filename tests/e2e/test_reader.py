"""The reader in a browser: library → reading → chapters, notes and back, accessibility."""

from __future__ import annotations

import re

import pytest
from django.utils.text import Truncator
from playwright.sync_api import expect

from readings.demo import ensure_demo_readings
from readings.models import Chapter
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
TITLE = "Toward Building Tomorrow: Expertise and Dual Power"


@pytest.fixture
def demo(transactional_db):
    return {reading.slug: reading for reading in ensure_demo_readings()}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_reader_walks_the_chapters_and_follows_a_note(
    page, live_server, axe_check, demo, viewport
):
    page.set_viewport_size(viewport)

    page.goto("/library/")
    assert_accessible(page, axe_check)
    page.get_by_role("link", name=TITLE).click()

    page.wait_for_url(re.compile(r"/library/toward-building-tomorrow/$"))
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert_accessible(page, axe_check)
    page.get_by_role("link", name="Start reading").click()

    page.wait_for_url(re.compile(r"/toward-building-tomorrow/1/$"))
    page.get_by_role("link", name=re.compile("^Next chapter")).click()

    page.wait_for_url(re.compile(r"/toward-building-tomorrow/2/$"))
    # The bar names the chapter by its title (its place, "2 of 7", only when it has none).
    title = Chapter.objects.get(reading__slug="toward-building-tomorrow", number=2).title
    expect(page.locator(".reader-bar__where")).to_have_text(Truncator(title).chars(40))
    assert_accessible(page, axe_check)

    page.locator("a.noteref", has_text="1").first.click()
    page.wait_for_url(re.compile(r"/toward-building-tomorrow/7/#note-1$"))
    assert page.evaluate("document.querySelector(':target').id") == "note-1"
    assert page.locator("#note-1").is_visible()
    assert_accessible(page, axe_check)

    page.locator("#note-1").click()
    page.wait_for_url(re.compile(r"/toward-building-tomorrow/2/#noteref-1$"))
    assert page.evaluate("document.querySelector(':target').id") == "noteref-1"
    assert page.locator("#noteref-1").is_visible()
    assert page.console_errors == []


def test_the_text_size_is_remembered(page, live_server, demo):
    page.goto("/library/toward-building-tomorrow/2/")
    passages = page.locator("#passages")
    before = passages.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")

    page.get_by_role("button", name="Larger text").click()
    page.get_by_role("button", name="Larger text").click()
    page.reload()

    after = passages.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert after > before
    assert page.evaluate("document.documentElement.dataset.readerSize") == "2"
    assert page.console_errors == []


def test_permalinks_have_names_and_show_on_focus(page, live_server, demo):
    page.goto("/library/toward-building-tomorrow/2/")
    link = page.get_by_role("link", name="Link to this paragraph").first

    link.focus()

    assert link.evaluate("el => getComputedStyle(el).opacity") == "1"
    box = link.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24


def test_the_library_filters_as_you_type(page, live_server, demo):
    from playwright.sync_api import expect

    page.goto("/library/")
    expect(page.locator(".reading-card")).to_have_count(2)

    page.get_by_label("Find by title or author").fill("varn")

    expect(page.locator(".reading-card")).to_have_count(1)
    expect(page.locator(".reading-card")).to_contain_text(TITLE)
    assert "q=varn" in page.url
    assert page.console_errors == []


def test_reader_js_saves_the_passage_reached_for_a_signed_in_reader(page, live_server, demo):
    from django.test import Client

    from readings.models import Passage, ReadingProgress
    from tests.factories import make_user

    reader = make_user("reader@example.org")
    client = Client()
    client.force_login(reader)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    reading = demo["toward-building-tomorrow"]
    chapter = reading.chapters.get(number=2)
    target = list(Passage.objects.in_chapter(chapter))[3]

    page.goto(f"{chapter.get_absolute_url()}#p-{target.key}")

    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some(e => e.name.includes('/progress/'))"
    )
    page.wait_for_timeout(300)
    progress = ReadingProgress.objects.get(user=reader, reading=reading)
    assert progress.chapter == chapter
    assert progress.passage is not None
    assert progress.passage.position >= target.position
    assert page.console_errors == []
