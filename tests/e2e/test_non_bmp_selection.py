"""Selecting words after an emoji: the browser counts UTF-16 code units, the server code
points; annotate.js converts on the way out, so the quote, the highlight and the annotation's
TextPositionSelector all name the selected words."""

from __future__ import annotations

import pytest

from discussions.models import Comment
from tests.e2e.test_margin import assert_accessible, log_in
from tests.factories import (
    NON_BMP_PHRASE,
    NON_BMP_TEXT,
    add_non_bmp_passage,
    make_margin,
)

pytestmark = pytest.mark.e2e

SELECT_PHRASE = """([key, phrase]) => {
    const text = document.getElementById("pt-" + key).firstChild;
    const start = text.data.indexOf(phrase);  // in UTF-16 code units, as the DOM counts
    const range = document.createRange();
    range.setStart(text, start);
    range.setEnd(text, start + phrase.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return [start, range.toString()];
}"""

# How a W3C client applies a TextPositionSelector to the passage element: code points.
SLICE_BY_POSITION = """async ([url, key]) => {
    const annotation = await (await fetch(url)).json();
    const selectors = annotation.target.selector[0].refinedBy;
    const position = selectors.find((s) => s.type === "TextPositionSelector");
    const characters = Array.from(document.getElementById("pt-" + key).textContent);
    return characters.slice(position.start, position.end).join("");
}"""


@pytest.fixture
def passage(transactional_db, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    passage = add_non_bmp_passage(margin.circle)
    passage.margin = margin
    return passage


def test_a_phrase_after_an_emoji_is_posted_quoted_and_highlighted_right(
    page, axe_check, passage, member
):
    margin = passage.margin
    log_in(page, member)
    page.goto(f"/circles/{margin.circle.slug}/read/{passage.reading.slug}/1/")
    start, selected = page.evaluate(SELECT_PHRASE, [passage.key, NON_BMP_PHRASE])
    assert selected == NON_BMP_PHRASE
    assert start == NON_BMP_TEXT.index(NON_BMP_PHRASE) + 2  # 𝔐 and 😀 are two units each
    page.get_by_role("button", name="Comment on the selected words").click()
    page.locator("#new-comment-quote").wait_for()
    assert page.locator("#new-comment-quote").inner_text() == f"“{NON_BMP_PHRASE}”"
    page.get_by_label("Your comment").fill("The whale, at last.")
    page.get_by_role("button", name="Post comment").click()
    page.locator("#thread-panel .comment__body", has_text="The whale, at last.").wait_for()

    root = Comment.objects.get(body="The whale, at last.")
    assert root.anchor_exact == NON_BMP_PHRASE
    mark = page.locator(f"#pt-{passage.key} mark:has(#hl-{root.pk})")
    mark.wait_for()
    assert mark.inner_text() == NON_BMP_PHRASE
    assert_accessible(page, axe_check)

    page.reload()  # the highlight as the chapter page draws it
    assert page.locator(f"#pt-{passage.key} mark:has(#hl-{root.pk})").inner_text() == NON_BMP_PHRASE
    annotation = f"/circles/{margin.circle.slug}/comments/{root.pk}/annotation.json"
    assert page.evaluate(SLICE_BY_POSITION, [annotation, passage.key]) == NON_BMP_PHRASE
    assert page.console_errors == []
