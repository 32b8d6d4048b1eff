"""Searching a circle's discussion: a word from a thread lands on the thread; the quote a
thread is anchored to is searched too; filters narrow it down; what lies beyond the reader's
horizon is counted and folded until they ask."""

from __future__ import annotations

import pytest
from django.urls import reverse

from discussions.services import delete_comment, edit_comment
from readings.models import Passage
from tests.factories import make_reading
from tests.permission_matrix import client_as

pytestmark = pytest.mark.django_db


def first_passage(margin, number: int) -> Passage:
    return Passage.objects.in_chapter(margin.reading.chapters.get(number=number)).first()


def search(margin, user, **params) -> str:
    url = reverse("discussions:circle-search", args=[margin.circle.slug])
    response = client_as(user).get(url, params)
    assert response.status_code == 200
    return response.text


def test_a_word_from_a_thread_lands_on_the_thread(margin, member, moderator):
    root = margin.comment(moderator, "The lighthouse keeper never sleeps.")
    html = search(margin, member, q="lighthouse")
    assert "1 comment matches" in html
    assert f'href="{root.get_absolute_url()}"' in html
    assert "The <mark>lighthouse</mark> keeper" in html


def test_replies_are_found_and_link_into_their_thread(margin, member, moderator):
    root = margin.comment(moderator, "What did you make of it?")
    reply = margin.comment(member, "The albatross was an omen.", parent=root, passage=None)
    html = search(margin, member, q="albatross omen")
    assert f'href="{reply.get_absolute_url()}"' in html and "Mina replied" in html


def test_the_quoted_words_of_a_thread_are_searched_and_marked(margin, member, moderator):
    margin.comment(moderator, "Look at this.", start=0, end=15)  # quotes "word1x0 word1x1"
    html = search(margin, member, q="word1x1")
    assert "1 comment matches" in html
    assert "<mark>word1x1</mark>" in html


def test_stemming_finds_other_forms_of_a_word(margin, member, moderator):
    margin.comment(moderator, "She kept running through the orchards.")
    assert "1 comment matches" in search(margin, member, q="runs orchard")


def test_the_index_follows_edits_and_deletes(margin, member):
    comment = margin.comment(member, "A marmalade sky.")
    edit_comment(comment, "A tangerine sky.")
    assert "No comment matches" in search(margin, member, q="marmalade")
    assert "1 comment matches" in search(margin, member, q="tangerine")
    delete_comment(comment)
    assert "No comment matches" in search(margin, member, q="tangerine")


def test_filters_narrow_by_reading_chapter_author_and_unanswered(
    margin, member, moderator, organizer
):
    other = make_reading("Other Book", chapters=1)
    margin.circle.readings.add(other)
    answered = margin.comment(moderator, "Gulls everywhere.")
    margin.comment(member, "Yes, gulls.", parent=answered, passage=None)
    lonely = margin.comment(organizer, "More gulls here.", passage=first_passage(margin, 2))
    elsewhere = margin.comment(
        organizer, "Gulls in the other book.", passage=Passage.objects.filter(reading=other)[0]
    )
    everyone = search(margin, organizer, q="gulls")
    assert "4 comments match" in everyone

    by_reading = search(margin, organizer, q="gulls", reading=other.slug)
    assert "1 comment matches" in by_reading and elsewhere.get_absolute_url() in by_reading

    by_chapter = search(margin, organizer, q="gulls", reading=margin.reading.slug, chapter=2)
    assert "1 comment matches" in by_chapter and lonely.get_absolute_url() in by_chapter

    by_author = search(margin, organizer, q="gulls", author=member.pk)
    assert "1 comment matches" in by_author and "Mina replied" in by_author
    assert f'<option value="{member.pk}" selected>Mina</option>' in by_author  # kept chosen

    unanswered = search(margin, organizer, q="gulls", unanswered="on")
    assert "2 comments match" in unanswered
    assert answered.get_absolute_url() not in unanswered


def test_a_chapter_without_a_reading_or_out_of_range_says_so(margin, member):
    assert "Choose a reading to search one of its chapters." in search(
        margin, member, q="x", chapter=2
    )
    html = search(margin, member, q="x", reading=margin.reading.slug, chapter=99)
    assert "has no such chapter" in html


def test_too_long_a_search_says_so(margin, member):
    assert "at most 200 characters" in search(margin, member, q="y" * 300)


def test_reading_search_in_a_circle_queries_stay_few(margin, member, django_assert_max_num_queries):
    client = client_as(member)
    url = reverse("discussions:reading-search", args=[margin.circle.slug, margin.reading.slug])
    client.get(url)
    with django_assert_max_num_queries(9):
        html = client.get(url, {"q": "word1x1"}).text
    assert "2 passages match" in html


def test_results_beyond_the_horizon_are_folded_until_shown_anyway(margin, member, organizer):
    margin.comment(organizer, "Early pelican.")
    later = margin.comment(organizer, "The pelican returns!", passage=first_passage(margin, 3))
    html = search(margin, member, q="pelican")
    assert "1 comment matches" in html and "returns" not in html
    assert "1 result in chapters you haven’t reached —" in html
    assert "spoilers=show" in html

    html = search(margin, member, q="pelican", spoilers="show")
    assert "2 comments match" in html and later.get_absolute_url() in html
    assert "Fold them again" in html


def test_the_circle_page_has_the_search_box(margin, member):
    html = client_as(member).get(margin.circle.get_absolute_url()).text
    assert f'action="{reverse("discussions:circle-search", args=[margin.circle.slug])}"' in html


def test_search_queries_do_not_grow_with_results(
    margin, member, organizer, django_assert_max_num_queries, posting_unlimited
):
    client = client_as(member)
    url = reverse("discussions:circle-search", args=[margin.circle.slug])
    client.get(url)  # the session settles
    for n in range(3):
        margin.comment(organizer, f"Heron number {n}.")
    with django_assert_max_num_queries(13) as few:
        client.get(url, {"q": "heron"})
    for n in range(20):
        margin.comment(organizer, f"Heron again {n}.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url, {"q": "heron"}).text
    assert "23 comments match" in html


def test_reading_search_in_a_circle_links_into_the_circles_reader(margin, member):
    url = reverse("discussions:reading-search", args=[margin.circle.slug, margin.reading.slug])
    html = client_as(member).get(url, {"q": "word2x3"}).text
    assert "2 passages match" in html
    passage = first_passage(margin, 2)
    assert f'href="{margin.chapter_url(2)}#{passage.anchor}"' in html
    discussion = reverse("discussions:circle-search", args=[margin.circle.slug])
    assert f'href="{discussion}?q=word2x3"' in html  # the same words in the discussion
    chapter_page = client_as(member).get(margin.chapter_url(1)).text
    assert f'action="{url}"' in chapter_page


def test_the_best_match_comes_first(margin, member, moderator):
    once = margin.comment(moderator, "A grey heron stood by the quiet river bank today.")
    thrice = margin.comment(moderator, "Heron, heron, heron: the heron is everywhere here.")
    html = search(margin, member, q="heron")
    assert html.index(f'href="{thrice.get_absolute_url()}"') < html.index(
        f'href="{once.get_absolute_url()}"'
    )
