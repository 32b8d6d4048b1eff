"""The demo, searched: Mina types two words from a seed essay into the reader's search and
lands on the passage; she searches the circle for words from a thread and lands on the
thread; someone outside the private circle never gets its words."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from circles.demo import MINA, PRIVATE, PUBLIC
from circles.models import Circle
from discussions.models import Comment
from discussions.services import post_comment
from readings.models import Passage
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    call_command("demo", "--no-serve")


def as_person(email: str | None) -> Client:
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def test_two_words_from_a_seed_essay_land_on_the_passage(demo):
    mina = as_person(MINA)
    passage = Passage.objects.get(text__contains="the theorization of programs")
    circle = Circle.objects.get(slug=PUBLIC["slug"])
    chapter_url = reverse("discussions:circle-chapter", args=[circle.slug, passage.reading.slug, 1])
    form = re.search(
        r'<form class="reader-search"[^>]*action="([^"]+)"', mina.get(chapter_url).text
    )
    results = mina.get(form.group(1), {"q": "theorization programs"}).text
    link = (
        reverse(
            "discussions:circle-chapter",
            args=[circle.slug, passage.reading.slug, passage.chapter.number],
        )
        + f"#p-{passage.key}"
    )
    assert f'href="{link}"' in results
    assert f'id="p-{passage.key}"' in mina.get(link.split("#")[0]).text


def test_a_word_from_a_thread_lands_on_the_thread(demo):
    mina = as_person(MINA)
    circle = Circle.objects.get(slug=PUBLIC["slug"])
    comment = Comment.objects.get(body__startswith="The scare quotes")
    url = reverse("discussions:circle-search", args=[circle.slug])
    results = mina.get(url, {"q": "scare quotes"}).text
    assert f'href="{comment.get_absolute_url()}"' in results
    thread = mina.get(comment.get_absolute_url().split("#")[0]).text
    assert f'id="c-{comment.pk}"' in thread


def test_nobody_outside_the_private_circle_finds_its_words(demo):
    private = Circle.objects.get(slug=PRIVATE["slug"])
    organizer = private.memberships.get(role="organizer").user
    post_comment(
        circle=private,
        author=organizer,
        body="Zanzibar is our secret word.",
        passage=Passage.objects.filter(reading__in=private.readings.all()).first(),
    )
    url = reverse("discussions:circle-search", args=[private.slug])
    assert "Zanzibar" in as_person(organizer.email).get(url, {"q": "zanzibar"}).text
    outsider = make_user("out@example.org")
    for client in (as_person(None), as_person(outsider.email), as_person(MINA)):
        response = client.get(url, {"q": "zanzibar"})
        assert response.status_code == 404 and "Zanzibar" not in response.text
    # The private circle reads a reading the public one reads too: its words stay its own.
    public = Circle.objects.get(slug=PUBLIC["slug"])
    public_url = reverse("discussions:circle-search", args=[public.slug])
    assert "Zanzibar" not in as_person(MINA).get(public_url, {"q": "zanzibar"}).text
