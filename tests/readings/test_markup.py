"""carry_markup: a hand edit of a passage's text keeps the markup the edit did not touch."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from readings.markup import carry_markup
from tests.readings.importers.support import text_content

NOTEREF = (
    '<sup><a class="noteref" id="noteref-1" href="../7/#note-1" role="doc-noteref">1</a></sup>'
)
OLD_TEXT = "Marx said so himslef.1 He was right, of course."
OLD_HTML = f"Marx said so himslef.{NOTEREF} He was <em>right</em>, of course."


def test_a_typo_fix_elsewhere_keeps_the_note_reference_and_the_emphasis():
    new_text = "Marx said so himself.1 He was right, of course."
    html = carry_markup(OLD_TEXT, OLD_HTML, new_text)
    assert html == f"Marx said so himself.{NOTEREF} He was <em>right</em>, of course."


def test_editing_inside_a_tag_drops_that_tag_and_keeps_its_text():
    new_text = "Marx said so himslef.1 He was wrong, of course."
    html = carry_markup(OLD_TEXT, OLD_HTML, new_text)
    assert html == f"Marx said so himslef.{NOTEREF} He was wrong, of course."


def test_new_text_is_escaped_and_nested_tags_survive_together():
    old_html = "Fish and <strong>ch<em>ip</em>s</strong>"
    html = carry_markup("Fish and chips", old_html, "Fish & chips")
    assert html == "Fish &amp; <strong>ch<em>ip</em>s</strong>"


def test_html_that_does_not_match_its_text_falls_back_to_escaped_text():
    assert carry_markup("other text", "<em>some</em> text", "a < b") == "a &lt; b"


EDITS = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 5), st.sampled_from(["", "x", "&", "<em>", " "])),
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(EDITS)
def test_the_text_content_is_always_the_new_text(edits):
    new_text = OLD_TEXT
    for at, length, insert in edits:
        new_text = new_text[:at] + insert + new_text[at + length :]
    assert text_content(carry_markup(OLD_TEXT, OLD_HTML, new_text)) == new_text
