"""A chapter page's place in its reading (previous, next, "3 of 7"): the chapters' numbers and
titles kept per text version, so a warm page skips their query and is never stale."""

from __future__ import annotations

import pytest

from readings.models import Chapter
from readings.services import rename_chapter

pytestmark = pytest.mark.django_db


def test_a_warm_chapter_page_costs_two_queries(client, reading, django_assert_num_queries):
    url = Chapter.objects.get(reading=reading, number=2).get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(2):  # the chapter with its reading, its passages
        again = client.get(url)
    assert again.status_code == first.status_code == 200
    for number in (1, 3):
        assert Chapter.objects.get(reading=reading, number=number).get_absolute_url() in again.text


def test_a_renamed_neighbour_shows_on_the_next_request(client, reading):
    url = Chapter.objects.get(reading=reading, number=1).get_absolute_url()
    client.get(url)
    rename_chapter(Chapter.objects.get(reading=reading, number=2), "The Renamed Middle")
    assert "The Renamed Middle" in client.get(url).text
