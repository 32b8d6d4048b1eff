"""Circles in the browser: following an invitation to a private circle (and on to an RSVP),
and every circle page passing axe at phone and desktop widths without sideways scrolling."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from circles.models import RSVP, Invite, JoinRequest, Membership, Role
from notifications import emails
from notifications.models import EmailKind, EmailPreference, Frequency
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, log_in
from tests.factories import make_circle, make_meeting, make_reading, make_user


def test_a_reader_follows_an_invite_logs_in_joins_and_sees_the_circle(page, live_server):
    organizer = make_user("olive@example.org", display_name="Olive")
    make_user("nadia@example.org", display_name="Nadia")
    reading = make_reading("The Shared Text", chapters=3)
    circle = make_circle(organizer, name="Quiet Room", private=True, readings=[reading])
    make_meeting(circle, reading, first=1, last=2, title="First evening")
    invite = Invite.create_for(circle, organizer)

    page.goto(invite.get_absolute_url())
    expect(page.get_by_role("heading", name="Quiet Room")).to_be_visible()
    page.get_by_role("link", name="Log in to join").click()
    log_in(page, "nadia@example.org")
    page.get_by_role("button", name="Join Quiet Room").click()

    expect(page.get_by_role("heading", name="Quiet Room", level=1)).to_be_visible()
    expect(page.get_by_text("Welcome to “Quiet Room”.")).to_be_visible()
    expect(page.get_by_role("link", name="Chapter 1", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="First evening").first).to_be_visible()
    assert Membership.objects.filter(circle=circle, user__email="nadia@example.org").exists()
    assert page.console_errors == []


def test_a_member_follows_an_invite_joins_the_private_circle_and_rsvps(
    page, live_server, axe_check
):
    organizer = make_user("olive@example.org", display_name="Olive")
    nadia = make_user("nadia@example.org", display_name="Nadia")
    reading = make_reading("The Shared Text", chapters=3)
    circle = make_circle(organizer, name="Quiet Room", private=True, readings=[reading])
    meeting = make_meeting(circle, reading, first=1, last=2, title="First evening")
    invite = Invite.create_for(circle, organizer)

    # An anonymous visitor holding the link: the invitation, accessible.
    page.goto(invite.get_absolute_url())
    expect(page.get_by_role("heading", name="Quiet Room")).to_be_visible()
    expect(page.locator("#main").get_by_role("link", name="Sign up")).to_be_visible()
    assert_accessible(page, axe_check)

    page.get_by_role("link", name="Log in to join").click()
    log_in(page, nadia.email)
    page.get_by_role("button", name="Join Quiet Room").click()
    expect(page.get_by_text("Welcome to “Quiet Room”.")).to_be_visible()

    page.get_by_role("link", name="First evening").first.click()
    expect(page.get_by_role("heading", name="First evening", level=1)).to_be_visible()
    expect(page.get_by_test_id("rsvp-going")).to_contain_text("0 Going")
    page.get_by_role("button", name="Going").click()
    expect(page.get_by_test_id("rsvp-going")).to_contain_text("1 Going: Nadia")
    page.wait_for_function(
        "() => document.querySelector('#rsvp-answer-going').getAttribute('aria-pressed') === 'true'"
    )
    expect(page.get_by_role("status").filter(has_text="Your answer: Going.")).to_be_visible()
    assert RSVP.objects.get(meeting=meeting, user=nadia).answer == "going"

    # The stop link of a session email, asking first and then done: accessible both ways.
    page.context.clear_cookies()
    token = emails.stop_token(nadia, EmailKind.MEETING_REMINDER)
    page.goto(reverse("notifications:email-stop", args=[token]))
    expect(page.get_by_role("heading", name="Stop these emails?")).to_be_visible()
    assert_accessible(page, axe_check)
    page.get_by_role("button", name="Stop these emails").click()
    expect(page.get_by_role("heading", name="Done: no more of these emails")).to_be_visible()
    assert_accessible(page, axe_check)
    assert EmailPreference.objects.get(user=nadia).frequency == Frequency.NEVER
    assert page.console_errors == []


def test_changing_a_role_swaps_the_row_in_place(page, live_server):
    organizer = make_user("olive@example.org", display_name="Olive")
    mina = make_user("mina@example.org", display_name="Mina")
    circle = make_circle(organizer, name="Role Play")
    membership = circle.add_member(mina)
    page.goto(f"/accounts/login/?next=/circles/{circle.slug}/members/")
    log_in(page, "olive@example.org")

    row = page.locator(f"#member-{membership.pk}")
    row.get_by_label("Role of Mina").select_option("moderator")
    row.get_by_role("button", name="Change role").click()

    expect(page.locator(f"#member-{membership.pk}")).to_contain_text("Mina is now moderator.")
    membership.refresh_from_db()
    assert membership.role == Role.MODERATOR
    assert page.console_errors == []


@pytest.fixture
def organizer_world():
    organizer = make_user("olive@example.org", display_name="Olive Organizer")
    reading = make_reading("A Reading With a Fairly Long Title for Wrapping", chapters=4)
    make_reading("Another Library Book")
    circle = make_circle(
        organizer,
        name="Tuesday Readers of Long Essays",
        description="We read **slowly**, a chapter a week.",
        readings=[reading],
    )
    for n in range(3):
        circle.add_member(make_user(f"m{n}@example.org", display_name=f"Member {n}"))
    make_meeting(circle, reading, first=1, last=2, title="Opening chapters")
    make_meeting(
        circle, reading, first=3, starts_at=timezone.now() - timezone.timedelta(days=7), title="Old"
    )
    Invite.create_for(circle, organizer, max_uses=5)
    asker = make_user("asker@example.org", display_name="Asker")
    JoinRequest.objects.create(circle=circle, user=asker, message="May I join?")
    expired = Invite.create_for(circle, organizer, days=1)
    Invite.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    return circle, expired


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_circle_pages_have_no_accessibility_violations(page, axe_check, organizer_world, viewport):
    circle, expired = organizer_world
    page.set_viewport_size(viewport)
    pages = {
        # Someone invited whose link expired: the message and the ask-to-join form.
        "asker@example.org": [expired.get_absolute_url()],
        "olive@example.org": [
            "/circles/",
            "/circles/mine/",
            "/circles/new/",
            circle.get_absolute_url(),
            f"/circles/{circle.slug}/members/",
            f"/circles/{circle.slug}/invites/",
            f"/circles/{circle.slug}/readings/add/",
            f"/circles/{circle.slug}/edit/",
            Invite.objects.get(circle=circle, max_uses=5).get_absolute_url(),
        ],
    }
    for email, urls in pages.items():
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        log_in(page, email)
        check_pages(page, axe_check, urls, viewport)
    page.context.clear_cookies()
    check_pages(page, axe_check, [circle.get_absolute_url(), expired.get_absolute_url()], viewport)
    assert page.console_errors == []


def check_pages(page, axe_check, urls, viewport):
    for url in urls:
        response = page.goto(url)
        assert response.ok and page.url.endswith(url), url
        assert axe_check(page) == [], url
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= viewport["width"], f"{url} scrolls sideways"
