"""Reading together in the browser: folded discussion and "show anyway" (htmx swaps one part
and keeps the focus on its toggle), the margin of a later chapter, where the circle is (names
on hover and on focus, Escape to hide them), a flag that rings the moderator's bell, and the
organizer's view of who takes part. axe on every new page and state, at phone and desktop
widths."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from circles.models import Membership, RSVPAnswer
from readings.models import ChapterReached, Passage, ReadingProgress
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, log_in
from tests.factories import make_meeting, make_user

pytestmark = pytest.mark.e2e


def passage_of(margin, number: int) -> Passage:
    return Passage.objects.in_chapter(margin.reading.chapters.get(number=number)).first()


@pytest.fixture
def later(margin, organizer, moderator):
    """Threads on each chapter: chapter 1 (Max), 2 and 3 (Olive, on a phrase)."""
    margin.comment(moderator, "About the opening.", passage=passage_of(margin, 1))
    two = margin.comment(
        organizer, "The twist of two.", passage=passage_of(margin, 2), start=0, end=15
    )
    three = margin.comment(
        organizer, "The end of three.", passage=passage_of(margin, 3), start=0, end=15
    )
    return two, three


def both_widths(page, axe_check) -> None:
    assert_accessible(page, axe_check)
    page.set_viewport_size(PHONE)
    assert_accessible(page, axe_check)
    page.set_viewport_size(DESKTOP)


def test_show_anyway_unfolds_the_recent_discussion_in_place(page, axe_check, margin, member, later):
    log_in(page, member, margin.circle.get_absolute_url())
    section = page.locator("#recent-discussion")
    expect(section).to_contain_text("2 threads on chapters you haven’t read")
    expect(section).not_to_contain_text("word2x0")
    both_widths(page, axe_check)

    toggle = page.locator("#recent-discussion-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(section).to_contain_text("“word2x0 word2x1”")
    expect(section).to_contain_text("“word3x0 word3x1”")
    expect(toggle).to_have_text("Fold it again")
    # htmx swapped the section (the page did not change) and gave the toggle its focus back.
    assert page.url.endswith(margin.circle.get_absolute_url())
    assert page.evaluate("document.activeElement.id") == "recent-discussion-toggle"
    both_widths(page, axe_check)

    page.keyboard.press("Enter")
    expect(section).to_contain_text("2 threads on chapters you haven’t read")
    assert page.console_errors == []


def test_show_anyway_without_javascript_is_a_link(browser, live_server, margin, member, later):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, member, margin.circle.get_absolute_url())
    page.get_by_role("link", name="show anyway").click()
    expect(page.locator("#recent-discussion")).to_contain_text("“word2x0 word2x1”")
    assert "spoilers=show" in page.url
    context.close()


def test_a_later_chapters_margin_opens_on_purpose_and_only_that_chapter(
    page, axe_check, margin, member, later
):
    two, three = later
    log_in(page, member, margin.passage_url(two.passage))
    panel = page.locator("#thread-panel")
    expect(panel).to_contain_text("1 thread on chapter 2, which you haven’t read")
    expect(panel).not_to_contain_text("The twist of two.")
    both_widths(page, axe_check)
    panel.get_by_role("link", name="show anyway").click()
    expect(panel).to_contain_text("The twist of two.")
    expect(page.locator("#thread-panel-title")).to_be_focused()
    both_widths(page, axe_check)

    # Opening chapter 2's page is reading it: its margin is open, and the progress saved as
    # the page shows counts chapter 2 as reached — chapter 2 alone, not chapter 3.
    page.goto(margin.chapter_url(2))
    page.locator(f"#pm-{two.passage.key} .passage__count").click()
    expect(page.locator("#thread-panel")).to_contain_text("The twist of two.")
    deadline = time.monotonic() + 10
    while not ChapterReached.objects.filter(user=member, chapter=two.chapter).exists():
        assert time.monotonic() < deadline, "the progress was not saved"
        time.sleep(0.1)
    page.goto(margin.circle.get_absolute_url())
    section = page.locator("#recent-discussion")
    expect(section).to_contain_text("“word2x0 word2x1”")
    expect(section).not_to_contain_text("word3x0")
    expect(section).to_contain_text("1 thread on a chapter you haven’t read")
    assert page.console_errors == []


def test_where_the_circle_is(page, axe_check, margin, member, organizer):
    for name, last in (("Ana", 2), ("Ben", 2), ("Cy", 3)):
        person = make_user(display_name=name)
        margin.circle.add_member(person)
        Membership.objects.filter(user=person).update(share_place=True)
        for chapter in margin.reading.chapters.filter(number__lte=last).order_by("number"):
            ReadingProgress.advance(person, chapter)
    make_meeting(margin.circle, margin.reading, first=3, last=3)
    log_in(page, member, margin.circle.get_absolute_url())
    expect(page.locator(".circle-place")).to_contain_text(
        "Most of you are in chapter 2; the next session covers chapter 3."
    )
    page.get_by_role("button", name="Share my place").click()
    expect(page.get_by_text("Members of “Public Readers” now see where you are.")).to_be_visible()
    expect(page.locator(".circle-place")).to_contain_text("You share your place")
    both_widths(page, axe_check)

    page.get_by_role("link", name="Who has reached each chapter").click()
    reach = page.locator("[data-reach]").nth(1)  # chapter 2
    names = reach.locator(".reach__who")
    expect(reach).to_contain_text("Reached by 3 members")
    assert names.bounding_box()["width"] <= 1  # until hovered or focused
    reach.hover()
    expect(names).to_have_text(": Ana, Ben, Cy")
    assert names.bounding_box()["width"] > 20
    both_widths(page, axe_check)
    reach.hover()
    assert names.bounding_box()["width"] > 20
    page.keyboard.press("Escape")
    assert names.bounding_box()["width"] <= 1
    page.mouse.move(0, 0)
    reach.focus()
    assert names.bounding_box()["width"] > 20
    both_widths(page, axe_check)
    assert page.console_errors == []


def test_a_flag_rings_the_moderators_bell(
    page, browser, live_server, axe_check, margin, organizer, member, moderator
):
    comment = margin.comment(organizer, "Tickets for sale, cheap", start=0, end=6)
    reporter = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    mina = reporter.new_page()
    log_in(mina, member, f"/circles/{margin.circle.slug}/comments/{comment.pk}/flag/")
    mina.get_by_role("radio", name="Spam").check()
    mina.get_by_role("button", name="Flag comment").click()
    mina.wait_for_url(lambda url: "/flag/" not in url)
    reporter.close()

    log_in(page, moderator)
    page.get_by_role("link", name="Notifications, 1 unread").click()
    item = page.locator(".notification--unread")
    expect(item).to_contain_text("Mina flagged Olive’s comment: Spam")
    expect(item).to_contain_text("Tickets for sale, cheap")
    both_widths(page, axe_check)
    page.goto(reverse("circles:my-circles"))
    page.get_by_role("link", name="1 open flag in Public Readers").click()
    expect(page.get_by_role("heading", name="Moderation", level=1)).to_be_visible()
    page.goto(reverse("circles:my-circles"))
    both_widths(page, axe_check)
    item_page = page.goto(reverse("notifications:notification-list"))
    assert item_page.ok
    page.get_by_role("button", name="Mina flagged Olive’s comment: Spam", exact=True).click()
    page.wait_for_url(f"**/moderation/#flagged-{comment.pk}")
    assert page.console_errors == []


def test_folded_notifications_and_show_anyway(page, axe_check, margin, member, moderator):
    margin.comment(moderator, "@Mina the ending turns here.", passage=passage_of(margin, 3))
    log_in(page, member)
    page.goto(reverse("notifications:notification-list"))
    item = page.locator(".notification").first
    expect(item).to_contain_text("its words are folded")
    expect(item).not_to_contain_text("the ending turns")
    both_widths(page, axe_check)
    item.get_by_role("link", name="Show anyway").click()
    expect(page.locator(".notification").first).to_contain_text("the ending turns here.")
    expect(page.locator(".notification__excerpt").first).to_be_focused()
    both_widths(page, axe_check)
    assert page.console_errors == []


def test_the_organizer_sees_who_takes_part_and_the_settings(
    page, axe_check, margin, organizer, member, moderator
):
    meeting = make_meeting(margin.circle, margin.reading, first=1, last=1)
    meeting.answer_rsvp(member, RSVPAnswer.GOING)
    margin.comment(member, "On one.")
    log_in(page, organizer, meeting.get_absolute_url())
    card = page.locator(".participation")
    expect(card).to_contain_text("Wrote in the margins of these chapters")
    expect(card).to_contain_text("Going: Mina")
    expect(card).to_contain_text("Max")
    both_widths(page, axe_check)

    page.goto(reverse("accounts:settings"))
    page.get_by_label("Discussion of chapters you haven’t reached").select_option("show")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your settings are saved.")).to_be_visible()
    both_widths(page, axe_check)
    page.goto(reverse("circles:circle-edit", args=[margin.circle.slug]))
    expect(page.get_by_label("Fold discussion of chapters a member hasn’t reached")).to_be_checked()
    both_widths(page, axe_check)
    assert page.console_errors == []
