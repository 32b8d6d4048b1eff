"""Writing in the margin with a browser: mouse, keyboard alone, no JavaScript, a phone."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, log_in

pytestmark = pytest.mark.e2e


def test_mouse_comment_reply_edit_delete(
    page, browser, live_server, axe_check, margin, member, moderator
):
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, member)
    page.goto(margin.chapter_url())
    text = page.locator(f"#pt-{margin.passage.key}")
    box = text.bounding_box()
    # Drag across the first words of the passage.
    page.mouse.move(box["x"] + 2, box["y"] + 8)
    page.mouse.down()
    page.mouse.move(box["x"] + 90, box["y"] + 8, steps=5)
    page.mouse.up()
    page.locator(".selection-comment").click()
    form = page.locator("#new-comment")
    form.wait_for()
    quote = page.locator("#new-comment-quote").inner_text()
    assert quote.strip("“”") and quote.strip("“”") in margin.passage.text
    assert_accessible(page, axe_check)
    page.get_by_label("Your comment").fill("A *marked* phrase")
    page.get_by_role("button", name="Post comment").click()
    page.locator("#thread-panel .comment__body", has_text="A marked phrase").wait_for()
    assert page.locator(f"#pt-{margin.passage.key} mark.hl").count() >= 1
    assert page.locator(f"#pm-{margin.passage.key} .passage__count").inner_text().startswith("1")
    assert_accessible(page, axe_check)

    # A second member replies.
    other = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    second = other.new_page()
    log_in(second, moderator)
    second.goto(margin.chapter_url())
    second.locator(f"#pt-{margin.passage.key} .hl-open").first.click()
    second.get_by_role("link", name="Reply to Mina").click()
    second.get_by_label("Reply to Mina").fill("I disagree, @Mina")
    second.get_by_role("button", name="Post reply").click()
    second.locator(".comment--depth-1 .comment__body", has_text="I disagree").wait_for()
    assert second.locator(".comment--depth-1 a.mention").inner_text() == "@Mina"
    assert_accessible(second, axe_check)
    other.close()

    # The author edits, then deletes: the reply keeps the thread in place.
    page.reload()
    page.locator(f"#pt-{margin.passage.key} .hl-open").first.click()
    page.get_by_role("link", name="Edit your comment").click()
    page.get_by_label("Edit your comment").fill("A *better* phrase")
    page.get_by_role("button", name="Save").click()
    page.locator("#thread-panel .comment__body", has_text="A better phrase").wait_for()
    assert page.locator("#thread-panel .comment__edited").count() == 1
    assert_accessible(page, axe_check)
    page.get_by_role("link", name="Delete your comment").click()
    page.locator("#thread-panel .comment__gone").wait_for()
    assert page.locator("#thread-panel", has_text="I disagree").count() == 1
    assert_accessible(page, axe_check)
    assert page.console_errors == []


def test_keyboard_alone(page, live_server, axe_check, margin, member, moderator):
    margin.comment(moderator, "A phrase to open by keyboard", start=0, end=6)
    log_in(page, member)
    page.goto(margin.chapter_url())
    comment_button = f"#p-{margin.passage.key} .passage__comment"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({comment_button!r})"):
            break
    else:
        pytest.fail("Tab never reached the passage's Comment button")
    assert "Comment on this paragraph" in page.evaluate(
        "document.activeElement.textContent"
    ).replace("\n", "")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'new-comment-body'")
    page.keyboard.type("Typed without a mouse")
    assert_accessible(page, axe_check)
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim() === 'Post comment'"):
            break
    page.keyboard.press("Enter")
    page.locator("#thread-panel .comment__body", has_text="Typed without a mouse").wait_for()

    page.goto(margin.chapter_url())
    page.keyboard.press("Tab")
    for _ in range(60):
        if page.evaluate("document.activeElement.matches('.hl-open')"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached a highlight")
    page.keyboard.press("Enter")
    page.locator("#thread-panel .thread", has_text="A phrase to open").wait_for()
    page.wait_for_function(
        "() => document.getElementById('thread-panel').contains(document.activeElement)"
    )
    assert_accessible(page, axe_check)
    assert page.console_errors == []


def test_without_javascript(browser, live_server, margin, member, moderator):
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, java_script_enabled=False
    )
    page = context.new_page()
    log_in(page, member)
    page.goto(margin.chapter_url())
    page.locator(f"#p-{margin.passage.key} .passage__comment").click()
    page.get_by_label("Your comment").fill("No script needed")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url(re.compile(r"/p/.+/#c-\d+$"))
    assert page.locator(".comment__body", has_text="No script needed").is_visible()
    page.get_by_role("link", name="Reply to Mina").click()
    page.get_by_label("Reply to Mina").fill("Still no script")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url(re.compile(r"#c-\d+$"))
    assert page.locator(".comment--depth-1 .comment__body", has_text="Still no script").is_visible()
    context.close()


def test_on_a_phone_the_thread_opens_below_its_passage(
    page, live_server, axe_check, margin, member
):
    margin.comment(member, "Seen on a phone", start=0, end=6)
    page.set_viewport_size(PHONE)
    page.goto(margin.chapter_url())
    page.locator(f"#pm-{margin.passage.key} .passage__count").click()
    panel = page.locator("#thread-panel .thread")
    panel.wait_for()
    # The script moves the margin below the passage once the panel has arrived: wait for it.
    page.wait_for_function(
        f"() => document.getElementById('p-{margin.passage.key}').nextElementSibling?.id"
        " === 'margin'"
    )
    passage_box = page.locator(f"#p-{margin.passage.key}").bounding_box()
    panel_box = page.locator("#thread-panel").bounding_box()
    assert panel_box["y"] >= passage_box["y"] + passage_box["height"] - 1
    assert_accessible(page, axe_check)
    assert page.console_errors == []
