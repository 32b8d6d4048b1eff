"""The margin as a screen reader meets it: Chromium's accessibility tree (CDP
`Accessibility.getFullAXTree`) on a chapter with overlapping highlights, and a keyboard-only
run from "next highlight" to a posted reply and back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from discussions.services import post_comment
from tests.e2e.conftest import assert_accessible, log_in

pytestmark = pytest.mark.e2e


class Tree:
    """The page's accessibility tree as Chromium gives it to screen readers (ignored nodes
    left out)."""

    def __init__(self, page) -> None:
        session = page.context.new_cdp_session(page)
        session.send("Accessibility.enable")
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
        session.detach()
        self.nodes = [n for n in nodes if not n.get("ignored")]
        self.by_id = {n["nodeId"]: n for n in nodes}

    @staticmethod
    def value(node: dict, key: str) -> str:
        return str((node.get(key) or {}).get("value", ""))

    @staticmethod
    def prop(node: dict, name: str):
        for prop in node.get("properties", []):
            if prop["name"] == name:
                return prop["value"].get("value")
        return None

    def find(self, role: str, name: str | None = None) -> list[dict]:
        return [
            n
            for n in self.nodes
            if self.value(n, "role") == role and (name is None or self.value(n, "name") == name)
        ]

    def text_in(self, node: dict) -> str:
        """The static text under `node`, joined."""
        out, stack = [], list(reversed(node.get("childIds", [])))
        while stack:
            child = self.by_id.get(stack.pop())
            if child is None:
                continue
            if self.value(child, "role") == "StaticText" and not child.get("ignored"):
                out.append(self.value(child, "name"))
            stack.extend(reversed(child.get("childIds", [])))
        return " ".join(" ".join(out).split())

    def texts(self) -> list[str]:
        return [self.value(n, "name") for n in self.find("StaticText")]

    def starts(self) -> list[tuple[str, str]]:
        """(description, expanded) of every highlight start, in reading order."""
        return [
            (self.value(n, "description"), str(self.prop(n, "expanded")).lower())
            for n in self.find("button", "annotation start")
        ]


@pytest.fixture
def overlapping(margin, organizer, moderator, member):
    """Two threads on overlapping words of the first passage: Olive's on "word1x0 word1x1"
    (with Max's reply) and Max's on "word1x1 word1x2"."""
    text = margin.passage.text
    first = margin.comment(organizer, "The opening words", start=0, end=text.index(" word1x2"))
    post_comment(circle=margin.circle, passage=None, author=moderator, body="Agreed", parent=first)
    start = text.index("word1x1")
    second = margin.comment(moderator, "These overlap", start=start, end=text.index(" word1x3"))
    return first, second


def test_the_tree_names_each_highlight_and_the_panel(page, axe_check, margin, member, overlapping):
    log_in(page, member)
    page.goto(margin.chapter_url())

    tree = Tree(page)
    assert tree.starts() == [
        ("2 comments, 1 thread, overlaps 1 other highlight", "false"),
        ("1 comment, 1 thread, overlaps 1 other highlight", "false"),
    ]
    texts = tree.texts()
    assert texts.count("annotation end") == 2
    # The quotes are read as text, in the passage's reading order.
    passage = " ".join(texts)
    assert "word1x0" in passage and "word1x1" in passage and "word1x2" in passage
    [panel] = tree.find("region", "No discussion open")
    assert tree.find("status")  # the margin's live region is there before anything is said
    assert_accessible(page, axe_check)

    page.locator(".hl-open").nth(1).click()
    page.wait_for_function(
        "() => document.getElementById('thread-panel').contains(document.activeElement)"
    )
    tree = Tree(page)
    assert [expanded for _, expanded in tree.starts()] == ["true", "true"]
    [panel] = tree.find("region", "3 comments on this paragraph")
    assert tree.find("heading", "3 comments on this paragraph")
    assert_accessible(page, axe_check)


def test_a_keyboard_run_from_next_highlight_to_a_posted_reply_and_back(
    page, axe_check, margin, member, overlapping
):
    first, _ = overlapping
    log_in(page, member)
    page.goto(margin.chapter_url())

    page.keyboard.press("n")
    assert page.evaluate("document.activeElement.id") == f"hl-{first.pk}"
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.activeElement.id === 't-{first.pk}'")
    assert Tree(page).starts()[0][1] == "true"

    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Reply to Olive":
            break
    else:
        pytest.fail("Tab never reached Reply to Olive")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'reply-body'")
    page.keyboard.type("Heard, and answered")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Post reply":
            break
    page.keyboard.press("Enter")
    page.locator("#thread-panel .comment__body", has_text="Heard, and answered").wait_for()

    page.wait_for_function(
        "() => document.getElementById('margin-status').textContent.includes('posted')"
    )
    tree = Tree(page)
    said = [tree.text_in(status) for status in tree.find("status")]
    assert [text for text in said if text] == ["Your reply to Olive was posted."]
    # The highlight now counts the reply; the focus is on it, not thrown elsewhere.
    assert tree.starts()[0] == ("3 comments, 1 thread, overlaps 1 other highlight", "true")
    assert page.evaluate("document.activeElement.closest('.comment') !== null")
    assert_accessible(page, axe_check)

    # Deleting it is announced in the same region, and the focus stays in the thread.
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("#thread-panel").get_by_role("link", name="Delete your comment").click()
    expect(page.locator("#margin-status")).to_have_text("Your comment was deleted.")
    page.wait_for_function(
        "() => document.getElementById('thread-panel').contains(document.activeElement)"
    )

    page.keyboard.press("Escape")
    page.wait_for_function(f"() => document.activeElement.id === 'hl-{first.pk}'")
    tree = Tree(page)
    assert tree.find("region", "No discussion open")
    assert [expanded for _, expanded in tree.starts()] == ["false", "false"]
    assert page.console_errors == []


def test_shortcuts_move_open_and_close_and_can_be_turned_off(
    page, axe_check, margin, member, overlapping
):
    first, second = overlapping
    log_in(page, member)
    page.goto(margin.chapter_url())

    page.keyboard.press("n")
    page.keyboard.press("n")
    assert page.evaluate("document.activeElement.id") == f"hl-{second.pk}"
    page.keyboard.press("p")
    assert page.evaluate("document.activeElement.id") == f"hl-{first.pk}"
    page.keyboard.press("m")
    page.locator("#thread-panel .thread").first.wait_for()
    page.wait_for_function(f"() => document.activeElement.id === 't-{first.pk}'")
    page.keyboard.press("m")
    page.wait_for_function(f"() => document.activeElement.id === 'hl-{first.pk}'")
    assert page.locator("#thread-panel.thread-panel--empty").count() == 1

    # c comments on the selected words; / goes to the reading's search.
    page.evaluate(
        """key => {
            const walker = document.createTreeWalker(
                document.getElementById('pt-' + key), NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode()) && !node.textContent.includes('word1x4'));
            const at = node.textContent.indexOf('word1x4');
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + 'word1x4 word1x5'.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }""",
        margin.passage.key,
    )
    page.locator(".selection-comment:not([hidden])").wait_for()
    page.keyboard.press("c")
    expect(page.locator("#new-comment-quote")).to_have_text("“word1x4 word1x5”")
    page.keyboard.press("Escape")
    page.keyboard.press("/")
    expect(page.get_by_role("searchbox", name="Search this reading")).to_be_focused()

    page.locator("main").get_by_role("link", name="Keyboard shortcuts").click()
    page.get_by_role("heading", name="Keyboard shortcuts in the reader").wait_for()
    assert_accessible(page, axe_check)
    page.get_by_label("Use the single-key shortcuts").uncheck()
    expect(page.get_by_text("Shortcuts are off.")).to_be_visible()
    page.go_back()
    page.locator(".hl-open").first.wait_for()
    page.keyboard.press("n")
    assert page.evaluate("document.activeElement.classList.contains('hl-open')") is False
    page.keyboard.press("Tab")  # Escape and the buttons themselves still work
    assert page.console_errors == []
