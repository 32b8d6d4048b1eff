"""The selection's Comment button on a phone (touch selections fire no mouseup) and by
keyboard; highlights on a passage's page; the chapter title as a passage; a thread whose
passage is gone, read and re-attached from the chapter's margin."""

from __future__ import annotations

import re

import pytest

from discussions.models import AnchorStatus, Comment
from readings.importers.base import ParsedChapter, ParsedPassage, ParsedReading
from readings.models import Passage
from readings.services import save_parsed_reading
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, assert_accessible, log_in

pytestmark = pytest.mark.e2e

BUTTON = ".selection-comment"


def select_in(page, key: str, start: int, end: int) -> str:
    """Select characters start..end of a passage's text the way a script (or a touch
    long-press) does: no mouse and no key events, only `selectionchange`."""
    return page.evaluate(
        """([key, start, end]) => {
            const text = document.getElementById("pt-" + key).firstChild;
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, end);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            return range.toString();
        }""",
        [key, start, end],
    )


def test_on_a_phone_a_touch_selection_shows_the_comment_button(
    browser, live_server, axe_check, margin, member
):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, member)
    page.goto(margin.chapter_url())
    passage = page.locator(f"#p-{margin.passage.key}")
    height = passage.bounding_box()["height"]
    words = select_in(page, margin.passage.key, 0, 14)
    button = page.locator(BUTTON)
    button.wait_for(state="visible")
    assert passage.bounding_box()["height"] == height  # placed over the text, not in its flow
    assert_accessible(page, axe_check)
    # Beside the selection, inside the phone's width.
    box, text = button.bounding_box(), page.locator(f"#pt-{margin.passage.key}").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert text["y"] <= box["y"] <= text["y"] + text["height"] + 60
    button.tap()
    page.locator("#new-comment").wait_for()
    assert page.locator("#new-comment-quote").inner_text() == f"“{words}”"
    page.get_by_label("Your comment").fill("Typed on a phone")
    page.get_by_role("button", name="Post comment").tap()
    page.locator("#thread-panel .comment__body", has_text="Typed on a phone").wait_for()
    assert page.locator(f"#pt-{margin.passage.key} mark.hl").count() >= 1
    assert errors == []
    context.close()


def test_a_collapsed_selection_hides_the_button_again(page, margin, member):
    log_in(page, member)
    page.goto(margin.chapter_url())
    select_in(page, margin.passage.key, 0, 14)
    page.locator(BUTTON).wait_for(state="visible")
    page.evaluate("window.getSelection().removeAllRanges()")
    page.locator(BUTTON).wait_for(state="hidden")
    assert page.console_errors == []


@pytest.fixture
def caret_page(browser, live_server):
    """A page in a browser with caret browsing on (F7): how a keyboard user selects text."""
    caret_browser = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--enable-caret-browsing"]
    )
    page = caret_browser.new_page(base_url=live_server.url, viewport=DESKTOP)
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    caret_browser.close()


def test_a_keyboard_selection_is_announced_and_its_button_is_next_in_tab_order(
    caret_page, axe_check, margin, member
):
    page = caret_page
    log_in(page, member)
    page.goto(margin.chapter_url())
    key = margin.passage.key
    height = page.locator(f"#p-{key}").bounding_box()["height"]
    # The caret at the start of the passage, then Shift+arrows select words.
    select_in(page, key, 0, 0)
    for _ in range(6):
        page.keyboard.press("Shift+ArrowRight")
    page.locator(BUTTON).wait_for(state="visible")
    assert page.locator(f"#p-{key}").bounding_box()["height"] == height  # the text stays put
    selected = page.evaluate("window.getSelection().toString()")
    assert len(selected) == 6
    # Announced politely, named for what it does, and right after the passage's text.
    page.wait_for_function(
        "() => document.querySelector('[role=status]').textContent.includes("
        "'Comment on the selected words')"
    )
    assert page.get_by_role("button", name="Comment on the selected words").is_visible()
    assert page.evaluate(f"document.getElementById('p-{key}').lastElementChild.matches('{BUTTON}')")
    page.keyboard.press("Tab")
    assert page.evaluate(f"document.activeElement.matches('{BUTTON}')")
    assert_accessible(page, axe_check)
    page.keyboard.press("Enter")
    page.locator("#new-comment").wait_for()
    assert page.locator("#new-comment-quote").inner_text() == f"“{selected}”"
    page.wait_for_function("() => document.activeElement.id === 'new-comment-body'")
    assert page.console_errors == []


def test_a_mouse_selection_still_shows_the_button_at_once(page, margin, member):
    log_in(page, member)
    page.goto(margin.chapter_url())
    box = page.locator(f"#pt-{margin.passage.key}").bounding_box()
    page.mouse.move(box["x"] + 2, box["y"] + 8)
    page.mouse.down()
    page.mouse.move(box["x"] + 90, box["y"] + 8, steps=5)
    assert page.locator(BUTTON).is_hidden()  # not while the drag goes on
    page.mouse.up()
    page.locator(BUTTON).wait_for(state="visible", timeout=250)
    assert page.console_errors == []


def test_on_the_passage_page_a_highlight_goes_to_its_thread(page, margin, member, moderator):
    first = margin.comment(moderator, "About the opening words", start=0, end=6)
    for n in range(6):
        margin.comment(member, f"A long discussion, part {n}. " * 8)
    last = margin.comment(moderator, "About later words", start=20, end=30)
    page.set_viewport_size({"width": DESKTOP["width"], "height": 500})
    page.goto(margin.passage_url())
    page.locator(f"#hl-{last.pk}").click()
    page.wait_for_function(f"() => document.activeElement.id === 't-{last.pk}'")
    assert page.locator(f"#t-{last.pk}").is_visible()
    thread_top = page.locator(f"#t-{last.pk}").bounding_box()["y"]
    assert 0 <= thread_top < 500

    page.evaluate("window.scrollTo(0, 0)")
    page.locator(f"#hl-{first.pk}").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.activeElement.id === 't-{first.pk}'")
    assert page.console_errors == []


def test_the_chapter_title_takes_comments_and_shows_them(page, axe_check, margin, member):
    title = "The Long Night"
    reading = save_parsed_reading(
        ParsedReading(
            title="Titled Chapters",
            chapters=[
                ParsedChapter(
                    title=title,
                    passages=[
                        ParsedPassage("heading", title, title),
                        ParsedPassage("paragraph", "It was dark.", "It was dark."),
                    ],
                )
            ],
        )
    )
    margin.circle.readings.add(reading)
    heading = Passage.objects.filter(reading=reading).order_by("position").first()
    log_in(page, member)
    page.goto(f"/circles/{margin.circle.slug}/read/{reading.slug}/1/")
    assert page.get_by_role("heading", level=1).inner_text() == title
    select_in(page, heading.key, 4, 8)
    page.locator(BUTTON).click()
    page.locator("#new-comment-quote").wait_for()
    assert page.locator("#new-comment-quote").inner_text() == "“Long”"
    page.get_by_label("Your comment").fill("Why the night?")
    page.get_by_role("button", name="Post comment").click()
    page.locator("#thread-panel .comment__body", has_text="Why the night?").wait_for()
    # The h1 got its highlight and count in place, and is still the page's one h1.
    mark = page.locator(f"h1#pt-{heading.key} mark.hl")
    mark.wait_for()
    assert mark.inner_text() == "Long"
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.locator(f"#pm-{heading.key} .passage__count").inner_text().startswith("1")
    assert_accessible(page, axe_check)

    page.reload()
    page.locator(f"h1#pt-{heading.key} .hl-open").click()
    page.locator("#thread-panel .comment__body", has_text="Why the night?").wait_for()
    assert page.console_errors == []


def test_a_thread_whose_passage_is_gone_opens_in_the_margin_and_is_reattached(
    page, axe_check, margin, member, moderator
):
    gone = Passage.objects.in_chapter(margin.chapter).last()
    root = margin.comment(member, "Words no longer there", passage=gone, start=0, end=9)
    Comment.objects.filter(pk=root.pk).update(anchor_status=AnchorStatus.ORPHANED)
    gone.delete()
    log_in(page, moderator)
    page.goto(margin.chapter_url())
    page.get_by_role("link", name="Read the thread").click()
    panel = page.locator("#thread-panel .thread", has_text="Words no longer there")
    panel.wait_for()
    page.wait_for_function(
        "() => document.getElementById('thread-panel').contains(document.activeElement)"
    )
    assert page.url.endswith(margin.chapter_url())  # loaded in the margin, no new page
    assert_accessible(page, axe_check)
    page.get_by_text("Re-attach this thread").click()
    select_in(page, margin.passage.key, 0, 9)
    page.wait_for_function(
        f"() => document.querySelector('form[data-reattach]').elements.passage.value"
        f" === '{margin.passage.key}'"
    )
    page.get_by_role("button", name="Re-attach").click()
    page.wait_for_url(re.compile(rf"/p/{margin.passage.key}/#c-{root.pk}$"))
    assert page.locator(f"#t-{root.pk} .comment__body", has_text="Words no longer").is_visible()
    assert page.console_errors == []
