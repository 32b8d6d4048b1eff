from __future__ import annotations

import pytest
from django.urls import reverse

from readings.services import save_parsed_reading
from tests.readings.conftest import make_parsed, paragraphs

pytestmark = pytest.mark.django_db

URL = reverse("readings:library")


@pytest.fixture
def two_readings():
    return [
        save_parsed_reading(
            make_parsed({"A": paragraphs(46)}, title="Dual Power", author="C.D. Varn")
        ),
        save_parsed_reading(make_parsed({"A": ["Short."]}, title="Parties", author="")),
    ]


def test_anyone_sees_the_readings_with_author_length_and_time(client, two_readings):
    response = client.get(URL)

    assert response.status_code == 200
    html = response.text
    assert "Dual Power" in html and "Parties" in html
    assert "C.D. Varn" in html
    assert "460 words" in html  # 46 paragraphs of 10 words
    assert "2 min read" in html
    assert 'aria-current="page"' in html


def test_it_filters_by_title_or_author(client, two_readings):
    by_author = client.get(URL, {"q": "varn"})
    by_title = client.get(URL, {"q": "parties"})

    assert "Dual Power" in by_author.text and "Parties" not in by_author.text
    assert "Parties" in by_title.text and "Dual Power" not in by_title.text


def test_htmx_gets_only_the_results(client, two_readings):
    response = client.get(URL, {"q": "dual"}, headers={"HX-Request": "true"})

    assert response.text.lstrip().startswith('<div id="library-results"')
    assert "Dual Power" in response.text
    assert "<html" not in response.text


def test_only_staff_see_the_add_link(client, member, staff, two_readings):
    add_url = reverse("readings:reading-create")
    assert add_url not in client.get(URL).text
    client.force_login(member)
    assert add_url not in client.get(URL).text
    client.force_login(staff)
    assert add_url in client.get(URL).text


def test_the_library_query_count_does_not_grow_with_readings(client, django_assert_max_num_queries):
    for n in range(20):
        save_parsed_reading(make_parsed({"A": paragraphs(3), "B": ["b"]}, title=f"Book {n}"))

    with django_assert_max_num_queries(3):
        assert client.get(URL).status_code == 200
