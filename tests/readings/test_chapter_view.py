from __future__ import annotations

import pytest
from django.urls import reverse

from readings.importers import parse_reading
from readings.importers.base import ParsedPassage
from readings.models import Chapter, Passage
from readings.services import save_parsed_reading
from tests.readings.conftest import make_parsed, paragraphs, passage
from tests.readings.importers.support import make_epub

pytestmark = pytest.mark.django_db


def test_anyone_can_read_a_chapter(client, reading):
    chapter = Chapter.objects.get(reading=reading, number=2)

    response = client.get(chapter.get_absolute_url())

    assert response.status_code == 200
    html = response.text
    assert '<p class="reader-bar__where">Middles</p>' in html  # named by its title
    heading, *passages = Passage.objects.in_chapter(chapter)
    assert f'id="p-{heading.key}"' in html  # the chapter's title
    for p in passages:
        assert f'id="p-{p.key}"' in html
        assert f'href="#p-{p.key}"' in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert reverse("readings:chapter", args=[reading.slug, 1]) in html
    assert reverse("readings:chapter", args=[reading.slug, 3]) in html


def test_the_chapter_url_ends_in_slug_and_number(reading):
    assert Chapter.objects.get(reading=reading, number=3).get_absolute_url() == (
        f"/library/{reading.slug}/3/"
    )


def test_an_opening_heading_that_repeats_the_title_becomes_the_page_heading(client, reading):
    chapter = Chapter.objects.get(reading=reading, number=1)
    heading = Passage.objects.in_chapter(chapter).first()

    html = client.get(chapter.get_absolute_url()).text

    assert f'<h1 class="reader__title passage passage--title" id="p-{heading.key}">' in html
    assert html.count("<h1") == 1


def test_each_kind_has_its_own_markup(client, db):
    reading = save_parsed_reading(
        make_parsed(
            {
                "Kinds": [
                    passage("A heading", "heading"),
                    passage("Quoted words.", "quote"),
                    passage("Line one\nLine two", "verse"),
                    passage("First item", "list_item"),
                    passage("Second item", "list_item"),
                    passage("1. A note.", "note"),
                    passage("Tom & Jerry <3"),
                ]
            }
        )
    )

    html = client.get(reading.chapters.get().get_absolute_url()).text

    assert '<h2 class="passage__text">A heading</h2>' in html
    assert '<blockquote class="passage passage--quote"' in html
    assert "Line one\nLine two" in html
    assert html.count('<ul class="passage-list">') == 1
    assert html.count('class="passage passage--list_item"') == 2
    assert 'class="passage passage--note"' in html
    assert "Tom &amp; Jerry &lt;3" in html  # stored html is rendered as is, never re-escaped
    assert "Link to this quotation" in html


def test_passage_html_is_rendered_as_stored(client, db):
    reading = save_parsed_reading(
        make_parsed(
            {
                "A": [
                    ParsedPassage(
                        kind="paragraph",
                        text="Hezbollah.1",
                        html='Hezbollah.<a href="../2/#note-1" id="noteref-1"><sup>1</sup></a>',
                    )
                ],
                "Notes": [passage("1. Tamari.", "note")],
            }
        )
    )

    html = client.get(reading.chapters.get(number=1).get_absolute_url()).text

    assert 'Hezbollah.<a href="../2/#note-1" id="noteref-1"><sup>1</sup></a>' in html


def test_a_missing_chapter_is_404(client, reading):
    assert client.get(f"/library/{reading.slug}/9/").status_code == 404
    assert client.get("/library/nope/1/").status_code == 404


def test_signed_in_readers_get_the_progress_url_and_anonymous_do_not(client, member, reading):
    url = Chapter.objects.get(reading=reading, number=1).get_absolute_url()
    progress_url = reverse("readings:progress-save", args=[reading.slug])

    assert progress_url not in client.get(url).text
    client.force_login(member)
    assert f'data-progress-url="{progress_url}"' in client.get(url).text


@pytest.mark.parametrize("size", [5, 5000])
def test_the_query_count_does_not_grow_with_the_passages(
    client, member, size, django_assert_max_num_queries
):
    reading = save_parsed_reading(
        make_parsed({"Before": ["x"], "Long": paragraphs(size), "After": ["y"]})
    )
    client.force_login(member)
    client.get(reading.get_absolute_url())  # the first request after login records the device
    url = reading.chapters.get(number=2).get_absolute_url()

    # 7 before the view: session, user, and allauth's device tracking (select, user, update
    # in a savepoint); then 5 in it: chapter + reading, chapters, passages, progress (update,
    # upsert).
    with django_assert_max_num_queries(12):
        response = client.get(url)

    assert response.status_code == 200
    assert response.text.count('class="passage passage--paragraph"') == size


@pytest.mark.parametrize("size", [5, 5000])
def test_anonymous_readers_cost_three_queries_at_any_length(
    client, db, size, django_assert_max_num_queries
):
    reading = save_parsed_reading(make_parsed({"Long": paragraphs(size), "After": ["y"]}))
    url = reading.chapters.get(number=1).get_absolute_url()

    with django_assert_max_num_queries(3):
        response = client.get(url)

    assert response.status_code == 200


def test_a_title_referring_to_a_note_is_the_page_heading_with_its_reference(client):
    chapter_doc = (
        "chapter.xhtml",
        '<body><section epub:type="chapter"><h2>Bourgeois and Proletarians'
        '<a href="notes.xhtml#note-3" id="noteref-3" epub:type="noteref">3</a></h2>'
        "<p>The history of all hitherto existing society.</p></section></body>",
    )
    notes_doc = (
        "notes.xhtml",
        '<body><section epub:type="endnotes"><h2>Endnotes</h2><ol>'
        '<li id="note-3" epub:type="endnote"><p>On the title.</p></li></ol></section></body>',
    )
    reading = save_parsed_reading(
        parse_reading(make_epub([chapter_doc, notes_doc]), "manifesto.epub")
    )
    chapter = Chapter.objects.get(reading=reading, number=1)

    html = client.get(chapter.get_absolute_url()).text

    # The <title>, the page's h1 and the reader's bar; never again as a passage.
    assert html.count("Bourgeois and Proletarians") == 3
    h1 = html[html.index("<h1") : html.index("</h1>")]
    assert 'href="../2/#note-3"' in h1 and 'id="noteref-3"' in h1
    notes = client.get(Chapter.objects.get(reading=reading, number=2).get_absolute_url()).text
    assert 'href="../1/#noteref-3"' in notes
