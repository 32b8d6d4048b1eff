"""The session loop in the browser: a member raises a thread from the margin, the session
page proposes it as the agenda and its organizer orders it; during the session another
member's comment appears on an open page without reloading, announced politely; the handout
prints. Every new page and state passes axe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from discussions.models import RaiseMark
from discussions.services import post_comment
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import make_meeting


@pytest.fixture
def live_meeting(margin):
    """A session over chapter 1 that started ten minutes ago."""
    return make_meeting(
        margin.circle,
        margin.reading,
        first=1,
        last=1,
        title="Session 1: Chapter 1",
        starts_at=timezone.now() - timedelta(minutes=10),
    )


def test_another_members_comment_appears_within_the_poll_interval(
    page, margin, live_meeting, member, moderator, axe_check
):
    margin.comment(moderator, "Before the meeting.")
    polls: list[int] = []
    page.on(
        "response",
        lambda response: polls.append(response.status) if "/live/" in response.url else None,
    )
    log_in(page, member)
    page.goto(live_meeting.get_absolute_url())
    expect(page.locator("#live").get_by_text("Before the meeting.")).to_be_visible()
    # Nothing new: the polls are answered 304 and the margin stays as it was.
    page.wait_for_timeout(6_500)
    assert 304 in polls
    expect(page.locator("#live").get_by_text("Before the meeting.")).to_be_visible()
    refresh = page.get_by_role("link", name="Refresh")
    refresh.focus()

    post_comment(
        circle=margin.circle,
        passage=margin.passage,
        author=moderator,
        body="Said during the meeting.",
    )
    expect(page.locator("#live").get_by_text("Said during the meeting.")).to_be_visible(
        timeout=12_000
    )
    announce = page.locator("#live-announce")
    expect(announce).to_have_attribute("aria-live", "polite")
    expect(announce).to_contain_text("New in the margin: Max")
    # The focus stayed where the reader left it.
    assert page.evaluate("document.activeElement.textContent") == "Refresh"
    assert_accessible(page, axe_check)
    assert page.console_errors == []


def test_a_member_raises_a_thread_and_the_organizer_orders_the_agenda(
    page, margin, live_meeting, member, moderator, organizer, axe_check
):
    first = margin.comment(moderator, "First thread.", start=0, end=5)
    second = margin.comment(moderator, "Second thread.", start=6, end=12)
    RaiseMark.objects.create(thread=first, user=moderator)
    log_in(page, member)
    page.goto(margin.passage_url())
    thread = page.locator(f"#raise-{second.pk}")
    thread.get_by_role("button", name="Raise at the session").click()
    expect(thread.get_by_role("button", name="Raise at the session")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(thread).to_contain_text("1 member raised this, you too")
    thread.get_by_role("button", name="Raise at the session").click()
    expect(thread).to_contain_text("Nobody raised this yet")
    thread.get_by_role("button", name="Raise at the session").click()
    expect(thread).to_contain_text("1 member raised this, you too")
    assert_accessible(page, axe_check)

    page.context.clear_cookies()
    log_in(page, organizer)
    page.goto(live_meeting.get_absolute_url())
    items = page.locator("#agenda .agenda__items > li")
    expect(items).to_have_count(2)
    expect(items.nth(1)).to_contain_text("Second thread.")
    items.nth(1).get_by_role("button", name="Move up").click()
    expect(items.nth(0)).to_contain_text("Second thread.")
    # Its "Move up" is gone (it is first): the focus goes to its "Move down".
    expect(items.nth(0).get_by_role("button", name="Move down")).to_be_focused()
    items.nth(0).get_by_role("button", name="Discussed").click()
    expect(items.nth(0).get_by_role("button", name="Discussed")).to_have_attribute(
        "aria-pressed", "true"
    )
    items.nth(1).get_by_role("button", name="Drop").click()
    expect(page.get_by_text("Dropped (1), seen by organizers only")).to_be_visible()
    expect(page.locator(".agenda__dropped").get_by_role("button", name="Restore")).to_be_focused()
    assert_accessible(page, axe_check)

    page.goto(live_meeting.get_absolute_url() + "handout/")
    expect(page.get_by_role("heading", name="1. Chapter 1")).to_be_visible()
    assert_accessible(page, axe_check)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    assert page.console_errors == []


def test_the_live_margin_waits_while_the_reader_types(
    page, margin, live_meeting, member, moderator
):
    log_in(page, member)
    page.goto(live_meeting.get_absolute_url())
    # A field to type in (the page itself has none a member types into yet).
    page.evaluate(
        "() => { const t = document.createElement('textarea');"
        " t.setAttribute('aria-label', 'Scratch'); document.querySelector('main').append(t); }"
    )
    field = page.get_by_label("Scratch")
    field.click()
    field.type("Thinking…")
    post_comment(
        circle=margin.circle, passage=margin.passage, author=moderator, body="While you type."
    )
    page.wait_for_timeout(6_000)  # more than a poll interval, less than the pause
    expect(page.locator("#live").get_by_text("While you type.")).to_have_count(0)
    expect(field).to_have_value("Thinking…")
    # Typing stopped: the next poll brings it in.
    expect(page.locator("#live").get_by_text("While you type.")).to_be_visible(timeout=12_000)
    expect(field).to_be_focused()


def test_the_pages_before_the_session_are_accessible(
    page, margin, member, moderator, organizer, axe_check
):
    later = make_meeting(margin.circle, margin.reading, first=1, last=3, title="Session 2: All")
    spoiler = margin.reading.chapters.get(number=3).passages.first()
    thread = margin.comment(moderator, "About the ending.", passage=spoiler)
    RaiseMark.objects.create(thread=thread, user=moderator)
    log_in(page, organizer)
    page.goto(later.get_absolute_url())
    expect(page.get_by_role("button", name="Switch the live margin on now")).to_be_visible()
    assert_accessible(page, axe_check)
    page.goto(later.get_absolute_url() + "notes/")
    expect(
        page.get_by_role("heading", name="Link the notes to the threads discussed")
    ).to_be_visible()
    assert_accessible(page, axe_check)

    page.context.clear_cookies()
    log_in(page, member)
    page.goto(later.get_absolute_url())
    agenda = page.locator("#agenda")
    expect(agenda).to_contain_text("1 thread on a chapter you haven’t read")
    agenda.get_by_role("link", name="show anyway").click()
    expect(agenda).to_contain_text("About the ending.")
    assert_accessible(page, axe_check)
    page.goto(later.get_absolute_url() + "handout/")
    expect(page.get_by_text("1 thread on a chapter you haven’t read")).to_be_visible()
    assert_accessible(page, axe_check)
    assert page.console_errors == []
