"""Moderation in the browser: a member flags a comment in the reader, a moderator hides and
restores it from the circle's moderation page, and staff resolve a flag in the Django admin.
The flag form and the moderation page pass axe."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from circles.models import Membership, MembershipState
from discussions.models import CommentState, Flag, FlagReason, ModerationEvent
from discussions.moderation import flag_comment
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, log_in

pytestmark = pytest.mark.e2e


def test_a_member_flags_and_a_moderator_hides_then_restores(
    page, browser, live_server, axe_check, margin, organizer, member, moderator
):
    comment = margin.comment(organizer, "Tickets for sale, cheap", start=0, end=6)
    log_in(page, member)

    # The no-JavaScript flag page passes axe too.
    page.goto(f"/circles/{margin.circle.slug}/comments/{comment.pk}/flag/")
    expect(page.get_by_role("heading", name="Flag a comment")).to_be_visible()
    assert_accessible(page, axe_check)

    # In the reader: open the thread, flag it in the panel.
    page.goto(margin.chapter_url())
    page.locator(f"#pt-{margin.passage.key} .hl-open").first.click()
    page.get_by_role("link", name="Flag the comment by Olive").click()
    page.get_by_role("radio", name="Spam").wait_for()
    page.wait_for_function("() => document.activeElement.id.startsWith('flag-')")
    assert_accessible(page, axe_check)
    page.get_by_role("radio", name="Spam").check()
    page.get_by_label("A note for the moderators (optional)").fill("An advert")
    page.get_by_role("button", name="Flag comment").click()
    expect(page.locator("#thread-panel")).to_contain_text("You flagged this comment. Thank you")
    expect(page.locator("#thread-panel .comment__flagged")).to_have_text("You flagged this")
    assert_accessible(page, axe_check)
    assert Flag.objects.get().note == "An advert"
    assert page.console_errors == []

    # The moderator, from the circle's page.
    other = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    mod = other.new_page()
    mod_errors: list[str] = []
    mod.on("console", lambda message: message.type == "error" and mod_errors.append(message.text))
    log_in(mod, moderator, margin.circle.get_absolute_url())
    mod.get_by_role("link", name="Moderation (1 open flag)").click()
    expect(mod.get_by_role("heading", name="Moderation", level=1)).to_be_visible()
    expect(mod.locator("#flags-heading + ol")).to_contain_text("Tickets for sale, cheap")
    expect(mod.locator("#flags-heading + ol")).to_contain_text("An advert")
    assert_accessible(mod, axe_check)

    mod.get_by_label("Note for the log (optional)").fill("Advertising")
    mod.get_by_role("button", name="Hide the comment by Olive").click()
    expect(mod.get_by_text("Flags resolved: the comment is hidden.")).to_be_visible()
    expect(mod.locator("#hidden-heading + ol")).to_contain_text("Tickets for sale, cheap")
    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    assert_accessible(mod, axe_check)

    mod.get_by_role("button", name="Restore the comment by Olive").click()
    expect(mod.get_by_text("Comment restored: everyone can read it again.")).to_be_visible()
    expect(mod.locator("#hidden-heading + p")).to_have_text("No hidden comments.")
    log = mod.locator(".moderation-log tbody tr")
    expect(log).to_have_count(2)
    expect(log.nth(0)).to_contain_text("Restored a comment")
    expect(log.nth(1)).to_contain_text("Resolved flags")
    expect(log.nth(1)).to_contain_text("Advertising")
    comment.refresh_from_db()
    assert comment.state == CommentState.VISIBLE
    assert [e.actor for e in ModerationEvent.objects.all()] == [moderator, moderator]
    assert mod_errors == []
    other.close()


def test_staff_resolve_a_flag_in_the_admin_giving_a_reason(
    page, live_server, margin, organizer, member, staff
):
    comment = margin.comment(organizer, "Rude remark about members")
    flag_comment(comment, member, FlagReason.ABUSE, "Insulting")
    log_in(page, staff, "/admin/discussions/flag/")

    page.wait_for_url(re.compile(r"/admin/discussions/flag/$"))
    page.locator("#result_list tbody input.action-select").first.check()
    page.locator("select[name=action]").select_option("hide")
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_role("heading", name="Hide these flagged comments?")).to_be_visible()
    page.get_by_label("Reason:").fill("Insults a member")
    page.get_by_role("button", name="Hide them").click()

    expect(page.locator(".messagelist")).to_contain_text("Hidden: 1.")
    flag = Flag.objects.get()
    assert (flag.resolution, flag.resolved_by) == ("hidden", staff)
    comment.refresh_from_db()
    assert (comment.state, comment.hidden_reason) == (CommentState.HIDDEN, "Insults a member")
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor) == ("resolve_flag", staff)
    assert "Insults a member" in event.reason

    # The log is in the admin, read-only.
    page.goto("/admin/discussions/moderationevent/")
    expect(page.locator("#result_list")).to_contain_text("Resolved flags")
    assert page.console_errors == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_ban_page_is_accessible_with_and_without_an_error(
    page, axe_check, margin, moderator, member, viewport
):
    url = reverse("discussions:member-ban", args=[margin.circle.slug]) + f"?user={member.pk}"
    page.set_viewport_size(viewport)
    log_in(page, moderator, url)
    expect(page.get_by_role("heading", name="Ban Mina?")).to_be_visible()
    assert_accessible(page, axe_check)

    page.get_by_role("button", name="Ban Mina").click()  # no reason given
    expect(page.locator("#ban-reason-error")).to_be_visible()
    assert_accessible(page, axe_check)

    # The refused form posts to the page without `?user=`: it asks whom again, Mina chosen.
    page.get_by_label("Reason").fill("Spam in every chapter")
    page.get_by_role("button", name="Ban", exact=True).click()
    expect(page.get_by_text("Mina is banned from")).to_be_visible()
    assert Membership.objects.get(circle=margin.circle, user=member).state == (
        MembershipState.BANNED
    )
    assert page.console_errors == []
