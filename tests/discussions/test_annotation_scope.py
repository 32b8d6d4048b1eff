"""A W3C client anchoring a thread's annotation in its page finds the quote only inside the
passage's text, never in the app's own words around it: the margin's "Comment on this
paragraph" button, the permalink, or the quotes printed in the lists of threads (an orphaned
thread's quote is no longer in the passage, only there)."""

from __future__ import annotations

import json

import lxml.html
import pytest
from django.urls import reverse

from discussions.models import AnchorStatus, ChapterDiscussion
from readings.services import edit_passage
from tests.factories import make_margin

pytestmark = pytest.mark.django_db

BEFORE = "Comment on this, said the editor, and turned the page."
AFTER = "The editor said nothing at all and turned the page."


def scope_text(selector: dict, page: str) -> str:
    """The text content of the element a FragmentSelector or an id CssSelector names."""
    if selector["type"] == "FragmentSelector":
        element_id = selector["value"]
    else:
        assert selector["type"] == "CssSelector" and selector["value"].startswith("#")
        element_id = selector["value"][1:]
    return lxml.html.fromstring(page).get_element_by_id(element_id).text_content()


def quote_positions(text: str, quote: dict) -> list[int]:
    """Where a client searching `text` for the quote's exact words finds them."""
    found, at = [], text.find(quote["exact"])
    while at != -1:
        found.append(at)
        at = text.find(quote["exact"], at + 1)
    return found


def annotation(client, margin, root) -> dict:
    url = reverse("discussions:comment-annotation", args=[margin.circle.slug, root.pk])
    return json.loads(client.get(url).content)


@pytest.fixture
def margin(organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    edit_passage(margin.passage, text=BEFORE)
    margin.passage.refresh_from_db()
    return margin


def test_the_selectors_scope_is_exactly_the_passage_text_on_its_pages(client, margin, member):
    start = BEFORE.index("said the editor")
    root = margin.comment(member, "Who?", start=start, end=start + len("said the editor"))
    client.force_login(member)
    data = annotation(client, margin, root)
    passage_page = client.get(data["target"]["source"]).content.decode()
    chapter_page = client.get(margin.chapter_url()).content.decode()
    assert "“said the editor”" in passage_page  # the thread's quote, in the margin
    assert "Comment on this paragraph" in lxml.html.fromstring(chapter_page).text_content()
    for url, page in ((data["target"]["source"], passage_page), ("chapter", chapter_page)):
        for selector in data["target"]["selector"]:
            text = scope_text(selector, page)
            assert text == BEFORE, (url, selector["type"])  # no button, count or permalink
            quote, position = selector["refinedBy"]
            assert quote_positions(text, quote) == [position["start"]]
            assert text[position["start"] : position["end"]] == quote["exact"]


def test_an_orphans_quote_is_printed_in_the_page_but_no_client_anchors_it_there(
    client, margin, member
):
    root = margin.comment(member, "Rude!", start=0, end=len("Comment on this"))
    edit_passage(margin.passage, text=AFTER)
    root.refresh_from_db()
    assert root.anchor_status == AnchorStatus.ORPHANED
    ChapterDiscussion.bump(margin.circle.pk, margin.chapter.pk)
    client.force_login(member)
    data = annotation(client, margin, root)
    for url in (data["target"]["source"], margin.chapter_url()):
        page = client.get(url).content.decode()
        # The quote is in the page (the list of threads whose text changed) and the app says
        # "Comment on this paragraph" too: a search of the whole page would find both.
        assert "“Comment on this”" in page
        assert "Comment on this" in lxml.html.fromstring(page).text_content()
        for selector in data["target"]["selector"]:
            [quote] = selector["refinedBy"]  # no position: the offsets are history
            assert quote["exact"] == "Comment on this"
            assert quote_positions(scope_text(selector, page), quote) == []
