"""Sessions in the browser: plan a six-session schedule, RSVP, and every page is accessible."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from circles.models import Meeting, Role
from tests.e2e.conftest import DESKTOP, PHONE, log_in
from tests.factories import make_circle, make_meeting, make_reading, make_user


@pytest.fixture
def world(transactional_db):
    organizer = make_user("olive@example.org", display_name="Olive")
    member = make_user("mina@example.org", display_name="Mina")
    reading = make_reading("Six Small Chapters", chapters=6, words=300)
    circle = make_circle(organizer, readings=[reading], time_zone="Europe/London")
    circle.add_member(member, Role.MEMBER)
    return organizer, member, circle


def test_an_organizer_plans_six_sessions_and_saves_them(page, world):
    organizer, _, circle = world
    log_in(page, organizer.email)
    page.goto(f"/circles/{circle.slug}/sessions/plan/")
    page.get_by_label("First session on").fill("2031-01-07")
    page.get_by_label("At").fill("19:00")
    page.get_by_label("Number of sessions").fill("6")
    page.get_by_role("button", name="Propose sessions").click()
    expect(page.get_by_role("group", name="Session 6")).to_be_visible()
    page.get_by_label("Title:").nth(1).fill("The middle of it")
    page.get_by_role("button", name="Save all 6 sessions").click()
    expect(page.get_by_text("6 sessions are scheduled")).to_be_visible()
    meetings = list(Meeting.objects.order_by("starts_at"))
    assert len(meetings) == 6
    assert meetings[1].title == "The middle of it"
    assert [m.first_chapter.number for m in meetings] == [1, 2, 3, 4, 5, 6]
    assert page.console_errors == []


def test_a_member_rsvps_going_and_sees_the_count(page, world):
    _, member, circle = world
    meeting = make_meeting(circle)
    log_in(page, member.email)
    page.goto(meeting.get_absolute_url())
    expect(page.get_by_test_id("rsvp-going")).to_contain_text("0 Going")
    page.get_by_role("button", name="Going").click()
    expect(page.get_by_test_id("rsvp-going")).to_contain_text("1 Going: Mina")
    expect(page.get_by_role("button", name="Going")).to_have_attribute("aria-pressed", "true")
    assert meeting.rsvps.get().answer == "going"
    assert page.console_errors == []


def test_a_refused_rsvp_answer_says_why_in_the_block(page, world, axe_check):
    """Only a tampered form can send another answer; the block still says what to choose."""
    _, member, circle = world
    meeting = make_meeting(circle)
    log_in(page, member.email)
    page.goto(meeting.get_absolute_url())
    page.evaluate("() => { document.querySelector('#rsvp-answer-maybe').value = 'bogus'; }")
    page.get_by_role("button", name="Maybe").click()
    expect(page.get_by_role("alert")).to_have_text("Choose going, maybe or can’t go.")
    assert not meeting.rsvps.exists()
    assert axe_check(page) == []
    # htmx swapped the refusal (422) in without an error of its own.
    assert page.console_errors == []
    page.get_by_role("button", name="Going").click()
    expect(page.get_by_test_id("rsvp-going")).to_contain_text("1 Going: Mina")
    expect(page.get_by_role("alert")).to_have_count(0)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_session_pages_have_no_accessibility_violations(page, axe_check, world, viewport):
    organizer, _, circle = world
    meeting = make_meeting(circle, first=1, last=2, place="Upstairs", agenda="Bring *a passage*")
    meeting.answer_rsvp(organizer, "going")
    log_in(page, organizer.email)
    page.set_viewport_size(viewport)
    base = f"/circles/{circle.slug}/sessions"
    urls = [
        meeting.get_absolute_url(),
        f"{base}/new/",
        f"{base}/plan/",
        f"{base}/{meeting.pk}/edit/",
        f"{base}/{meeting.pk}/cancel/",
        f"{base}/{meeting.pk}/notes/",
        "/settings/",
    ]
    for url in urls:
        page.goto(url)
        if url.endswith("/plan/"):
            page.get_by_label("First session on").fill("2031-01-07")
            page.get_by_label("At").fill("19:00")
            page.get_by_role("button", name="Propose sessions").click()
            expect(page.get_by_role("group", name="Session 6")).to_be_visible()
        assert axe_check(page) == [], url
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= viewport["width"], f"{url} scrolls sideways"
    assert page.console_errors == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_new_session_form_picks_named_chapters_and_names_a_wrong_one(
    page, axe_check, world, viewport
):
    organizer, _, circle = world
    circle.readings.add(make_reading("Two More Chapters", chapters=2))
    make_meeting(circle, circle.readings.get(title="Six Small Chapters"), first=1, last=2)
    log_in(page, organizer.email)
    page.set_viewport_size(viewport)
    page.goto(f"/circles/{circle.slug}/sessions/new/")
    # Numbered after the existing session, starting after its chapters.
    expect(page.get_by_label("Title:")).to_have_value("Session 2")
    expect(page.get_by_label("From chapter:")).to_have_value(
        str(circle.readings.get(title="Six Small Chapters").chapters.get(number=3).pk)
    )
    page.get_by_label("To chapter:").select_option(label="Chapter 4")
    # Switch the reading but not the chapters, as someone without JavaScript would.
    page.get_by_label("Reading:").select_option(label="Two More Chapters")
    page.get_by_label("Date:").fill("2031-01-07")
    page.get_by_label("Time:").fill("19:00")
    page.get_by_role("button", name="Schedule session").click()
    expect(
        page.get_by_text("“Chapter 3” is a chapter of “Six Small Chapters”, not of the reading")
    ).to_be_visible()
    assert axe_check(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # The lists group the chapters by reading; pick them under "Two More Chapters".
    two_more = circle.readings.get(title="Two More Chapters").chapters.order_by("number")
    page.get_by_label("From chapter:").select_option(value=str(two_more[0].pk))
    page.get_by_label("To chapter:").select_option(value=str(two_more[1].pk))
    page.get_by_role("button", name="Schedule session").click()
    expect(page.get_by_role("heading", name="Session 2")).to_be_visible()
    assert Meeting.objects.get(title="Session 2").reading.title == "Two More Chapters"
    assert page.console_errors == []


def test_the_only_organizer_opens_leave_with_the_keyboard_and_reads_how_to_hand_over(
    page, axe_check, world
):
    organizer, _, circle = world
    log_in(page, organizer.email)
    page.goto(circle.get_absolute_url())
    hint = page.get_by_text("You are the only organizer.")
    expect(hint).to_be_hidden()
    page.locator(".leave-hint summary").focus()
    page.keyboard.press("Enter")
    expect(hint).to_be_visible()
    expect(page.get_by_role("link", name="members page")).to_be_visible()
    assert axe_check(page) == []
    assert page.console_errors == []
