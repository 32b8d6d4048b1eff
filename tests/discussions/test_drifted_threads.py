"""Threads whose words changed: readers see the quote as first written, and the Web Annotation
of a thread points into the passage's element on its page."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from discussions.models import AnchorStatus, ChapterDiscussion, Comment
from readings.services import edit_passage

pytestmark = pytest.mark.django_db

TYPO = "Of all the stalls at the fair, teh biggest one sold apples, and nobody knew why."
FIXED = TYPO.replace("teh biggest", "the biggest")


@pytest.fixture
def margin(margin):
    """The shared margin, its first passage holding a typo."""
    edit_passage(margin.passage, text=TYPO)
    margin.passage.refresh_from_db()
    return margin


def comment_on(margin, author, words: str) -> Comment:
    start = margin.passage.text.index(words)
    return margin.comment(author, "Why this one?", start=start, end=start + len(words))


def test_a_typo_fixed_inside_a_short_commented_phrase_keeps_the_thread_on_it(margin, member):
    root = comment_on(margin, member, "teh biggest")

    edit_passage(margin.passage, text=FIXED)

    root.refresh_from_db()
    assert root.passage_id == margin.passage.pk
    assert root.anchor_status == AnchorStatus.DRIFTED
    assert FIXED[root.anchor_start : root.anchor_end] == root.anchor_exact == "the biggest"
    assert root.anchor_original_exact == "teh biggest"


def test_a_drifted_thread_says_the_text_changed_and_shows_the_quote_as_written(
    client, margin, member
):
    root = comment_on(margin, member, "teh biggest")
    edit_passage(margin.passage, text=FIXED)
    root.refresh_from_db()
    client.force_login(member)

    html = client.get(margin.passage_url()).content.decode()

    percent = round(root.anchor_score * 100)
    assert "“the biggest”" in html
    assert f"The text changed since this comment ({percent}% match)." in html
    assert "Originally: “teh biggest”" in html


def test_a_thread_on_unchanged_words_has_no_note(client, margin, member):
    comment_on(margin, member, "sold apples")
    edit_passage(margin.passage, text=FIXED)  # changes other words
    client.force_login(member)

    html = client.get(margin.passage_url()).content.decode()

    assert "“sold apples”" in html
    assert "The text changed since this comment" not in html


def test_an_orphan_lists_the_quote_it_was_first_written_on(client, margin, member):
    root = comment_on(margin, member, "teh biggest")
    edit_passage(margin.passage, text=FIXED)  # drifts onto "the biggest"
    edit_passage(margin.passage, text="Something else entirely was written here in the end.")
    root.refresh_from_db()
    assert root.anchor_status == AnchorStatus.ORPHANED
    assert root.anchor_exact == "the biggest"
    ChapterDiscussion.bump(margin.circle.pk, margin.chapter.pk)
    client.force_login(member)

    chapter = client.get(margin.chapter_url()).content.decode()
    passage = client.get(margin.passage_url()).content.decode()

    assert "Comments whose text changed" in chapter
    assert "“teh biggest”" in chapter and "“the biggest”" not in chapter
    assert "“teh biggest”" in passage and "“the biggest”" not in passage


class _ElementText(HTMLParser):
    """The text content of the element with a given id."""

    def __init__(self, element_id: str):
        super().__init__()
        self.element_id, self.depth, self.text = element_id, 0, ""

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text += data


def test_the_annotation_selects_the_quote_inside_the_passage_element_of_its_page(
    client, margin, member
):
    root = comment_on(margin, member, "sold apples")
    client.force_login(member)

    data = json.loads(
        client.get(f"/circles/{margin.circle.slug}/comments/{root.pk}/annotation.json").content
    )
    target = data["target"]
    page = client.get(target["source"]).content.decode()

    fragment = target["selector"][0]
    assert fragment["type"] == "FragmentSelector"
    assert fragment["conformsTo"] == "http://tools.ietf.org/rfc/rfc3986"
    refinements = {s["type"]: s for s in fragment["refinedBy"]}
    parser = _ElementText(fragment["value"])
    parser.feed(page)
    # Offsets count from the start of the passage element, not of the page and its header.
    assert parser.text.startswith(margin.passage.text)
    position = refinements["TextPositionSelector"]
    assert parser.text[position["start"] : position["end"]] == "sold apples"
    assert refinements["TextQuoteSelector"]["exact"] == "sold apples"
