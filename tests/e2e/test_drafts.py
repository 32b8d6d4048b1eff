"""Drafts that never lose text: kept under what they answer, with their quote and options,
offered back when a page opens, through reloads and new tabs; cleared on posting and on
logging out; two tabs never overwrite each other."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in

pytestmark = pytest.mark.e2e


def phrase(margin, words: str) -> tuple[int, int]:
    start = margin.passage.text.index(words)
    return start, start + len(words)


def selection_url(margin, words: str) -> str:
    start, end = phrase(margin, words)
    return f"{margin.passage_url()}?start={start}&end={end}"


def stored_drafts(page) -> list[str]:
    return page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('marginalia.drafts/')).sort()"
    )


def test_a_draft_under_a_phrase_comes_back_under_that_phrase_only(page, axe_check, margin, member):
    log_in(page, member)
    page.goto(selection_url(margin, "word1x1 word1x2"))
    page.get_by_label("Your comment").fill("About these two words")
    page.get_by_label("Only me").check()

    page.reload()
    expect(page.get_by_label("Your comment")).to_have_value("About these two words")
    expect(page.get_by_label("Only me")).to_be_checked()
    expect(page.locator("#margin-status")).to_have_text("Draft restored.")

    # Back and forward keep it.
    page.goto(margin.chapter_url())
    page.go_back()
    expect(page.get_by_label("Your comment")).to_have_value("About these two words")

    # Not under other words, nor on the whole passage: there it is offered.
    page.goto(selection_url(margin, "word1x3 word1x4"))
    expect(page.get_by_label("Your comment")).to_have_value("")
    page.goto(f"{margin.passage_url()}?compose=1")
    expect(page.get_by_label("Your comment")).to_have_value("")
    offer = page.locator(".draft-offers li")
    expect(offer).to_have_text("You have an unsent comment on “word1x1 word1x2” — Continue Discard")
    assert_accessible(page, axe_check)

    # A new tab: the chapter offers it; Continue opens the form on those words.
    second = page.context.new_page()
    second.goto(margin.chapter_url())
    second.get_by_role("button", name="Continue").click()
    expect(second.locator("#new-comment-quote")).to_have_text("“word1x1 word1x2”")
    expect(second.get_by_label("Your comment")).to_have_value("About these two words")
    expect(second.get_by_label("Only me")).to_be_checked()
    expect(second.locator(".draft-offers")).to_have_count(0)
    assert_accessible(second, axe_check)

    # Posting clears it, in every tab.
    second.get_by_role("button", name="Post comment").click()
    second.locator("#thread-panel .comment__body", has_text="About these two words").wait_for()
    assert stored_drafts(second) == []
    page.goto(margin.chapter_url())
    expect(page.locator(".draft-offers")).to_have_count(0)
    assert page.console_errors == []


def test_replies_and_edits_keep_drafts_of_their_own(page, margin, member, organizer):
    first = margin.comment(organizer, "First thoughts")
    second = margin.comment(organizer, "Second thoughts", start=0, end=7)
    mine = margin.comment(member, "My words", start=8, end=15)
    log_in(page, member)

    page.goto(f"{margin.passage_url()}?reply={first.pk}")
    page.get_by_label("Reply to Olive").fill("Answering the first")
    page.goto(f"{margin.passage_url()}?reply={second.pk}")
    expect(page.get_by_label("Reply to Olive")).to_have_value("")
    page.goto(f"{margin.passage_url()}?reply={first.pk}")
    expect(page.get_by_label("Reply to Olive")).to_have_value("Answering the first")

    page.goto(f"{margin.passage_url()}?edit={mine.pk}")
    page.get_by_label("Edit your comment").fill("My better words")
    page.goto(margin.chapter_url())
    items = page.locator(".draft-offers li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("You have an unsent reply to Olive")
    expect(items.nth(1)).to_contain_text("You have an unsent edit of your comment")
    items.nth(1).get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Edit your comment")).to_have_value("My better words")

    # Discarded, it is gone for good; the other stays.
    page.goto(margin.chapter_url())
    items.first.get_by_role("button", name="Discard").click()
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("edit of your comment")
    expect(page.locator("#margin-status")).to_have_text("Draft discarded.")
    page.reload()
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("edit of your comment")
    assert page.console_errors == []


def test_two_tabs_on_the_same_words_keep_both(page, margin, member):
    log_in(page, member)
    url = selection_url(margin, "word1x1 word1x2")
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)

    page.get_by_label("Your comment").fill("Written in the first tab")
    other.get_by_label("Your comment").fill("Written in the second tab")
    expect(other.locator(".comment-form__draft-note")).to_contain_text("another tab")

    third = page.context.new_page()
    third.goto(margin.chapter_url())
    items = third.locator(".draft-offers li")
    expect(items).to_have_count(2)
    texts = set()
    for _ in range(2):
        third.goto(margin.chapter_url())
        third.locator(".draft-offers li").first.get_by_role("button", name="Continue").click()
        area = third.get_by_label("Your comment")
        expect(area).not_to_have_value("")
        texts.add(area.input_value())
        area.fill("")  # leave it empty: that draft goes, the other stays
    assert texts == {"Written in the first tab", "Written in the second tab"}


def test_logging_out_forgets_the_drafts_and_the_next_person_never_sees_them(
    page, margin, member, moderator
):
    log_in(page, member)
    page.goto(selection_url(margin, "word1x1 word1x2"))
    page.get_by_label("Your comment").fill("Private musings")
    assert len(stored_drafts(page)) == 1

    page.locator("summary", has_text="Mina").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    assert stored_drafts(page) == []

    log_in(page, moderator)
    page.goto(margin.chapter_url())
    expect(page.locator(".draft-offers")).to_have_count(0)
    page.goto(selection_url(margin, "word1x1 word1x2"))
    expect(page.get_by_label("Your comment")).to_have_value("")
