"""A chapter's title passage (its opening heading, shown as the page's h1) is a passage like
the others in a circle's reader: comments on it show as highlights, a count and its own
Comment link, and a comment posted on it swaps its highlights in as the h1."""

from __future__ import annotations

import uuid

import pytest

from readings.importers.base import ParsedChapter, ParsedPassage, ParsedReading
from readings.models import Passage
from readings.services import save_parsed_reading
from tests.factories import Margin

pytestmark = pytest.mark.django_db

TITLE = "The Long Night"


@pytest.fixture
def margin(margin) -> Margin:
    """The shared margin, reading a book whose chapter opens with its title as a heading."""
    reading = save_parsed_reading(
        ParsedReading(
            title="Titled Chapters",
            author="Ann Author",
            chapters=[
                ParsedChapter(
                    title=TITLE,
                    passages=[
                        ParsedPassage("heading", TITLE, TITLE),
                        ParsedPassage("paragraph", "It was dark.", "It was dark."),
                    ],
                )
            ],
        )
    )
    margin.circle.readings.add(reading)
    margin.reading = reading
    margin.chapter = reading.chapters.get(number=1)
    margin.passage = Passage.objects.in_chapter(margin.chapter).first()
    return margin


def test_comments_on_the_title_show_on_it(client, margin, member):
    title = margin.passage
    root = margin.comment(member, "Why this title?", start=4, end=8)
    html = client.get(margin.chapter_url()).content.decode()
    start = html.index(f'id="p-{title.key}"')
    heading = html[start : html.index("</div>", start)]
    assert f'<h1 class="reader__title passage__text" id="pt-{title.key}">' in heading
    assert f'id="hl-{root.pk}"' in heading
    assert '></span>Long<span class="hl-end" data-label="annotation end"></span></mark>' in heading
    assert 'class="passage__count"' in heading and "1 comment on this heading" in heading
    assert f'href="{margin.passage_url(title)}?compose=1#new-comment"' in heading
    assert html.count("<h1") == 1


def test_an_undiscussed_title_still_offers_its_comment_link(client, margin, member):
    html = client.get(margin.chapter_url()).content.decode()
    assert f'href="{margin.passage_url()}?compose=1#new-comment"' in html
    assert 'Comment<span class="visually-hidden"> on this heading' in html


def test_a_comment_posted_on_the_title_swaps_in_as_the_h1(client, margin, member):
    client.force_login(member)
    response = client.post(
        margin.create_url(),
        {"body": "A fine title", "idempotency_key": str(uuid.uuid4()), "start": 4, "end": 8},
        headers={
            "HX-Request": "true",
            "HX-Current-URL": f"http://testserver{margin.chapter_url()}",
        },
    )
    html = response.content.decode()
    key = margin.passage.key
    assert response.status_code == 200
    assert f'<h1 class="reader__title passage__text" id="pt-{key}" data-hx-swap-oob="true">' in html
    assert f'<h2 class="passage__text" id="pt-{key}"' not in html
    assert f'id="pm-{key}" data-hx-swap-oob="true"' in html


def test_the_library_reader_keeps_its_plain_title(client, margin):
    html = client.get(margin.chapter.get_absolute_url()).content.decode()
    assert f'<h1 class="reader__title passage passage--title" id="p-{margin.passage.key}">' in html
    assert "passage__margin" not in html
