"""The demo, read together: Mina (a member behind the circle) meets no quote from the chapters
she has not reached until she asks; the contents page shows where the circle is; Max (the
moderator) has a bell notice for each of the demo's flags."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from circles.demo import MAX, MINA, PUBLIC
from circles.models import Meeting
from discussions.demo import THREADS
from discussions.models import Comment
from notifications.models import Notification

# Notifications are made once a write commits: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)

# What the others wrote on chapters 4 and 5, and the words of the book they quoted there.
WRITTEN = [body for _, _, posts in THREADS[4:] for _, body in posts]
BEYOND = WRITTEN + [phrase for _, phrase, _ in THREADS[4:]]


@pytest.fixture
def demo(db):
    call_command("demo", "--no-serve")


def as_person(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def words(html: str) -> str:
    return html.replace("&#x27;", "'")


def test_mina_meets_nothing_written_beyond_her_chapter_until_she_asks(demo):
    mina = as_person(MINA)
    later = Comment.objects.filter(chapter__number__gt=3).select_related("chapter")
    assert {c.chapter.number for c in later} == {4, 5}
    pages = [
        f"/circles/{PUBLIC['slug']}/",
        reverse("notifications:notification-list"),
        *(m.get_absolute_url() for m in Meeting.objects.filter(first_chapter__number__gt=3)),
    ]
    for url in pages:
        html = words(mina.get(url).text)
        assert [text for text in BEYOND if text[:40] in html] == [], url
    # A passage's page shows the passage (the book's words): not what was written on it.
    for url in {c.get_absolute_url().split("#")[0] for c in later}:
        html = words(mina.get(url).text)
        assert [text for text in WRITTEN if text[:40] in html] == [], url
    home = words(mina.get(pages[0]).text)
    assert "2 threads on chapters you haven’t read" in home
    shown = words(mina.get(pages[0] + "?spoilers=show").text)
    assert "the theorization of programs" in shown
    notices = words(mina.get(pages[1] + "?spoilers=show").text)
    assert "here is the answer to your thesis question" in notices


def test_the_contents_page_shows_where_the_circle_is(demo):
    url = reverse("discussions:circle-reading", args=[PUBLIC["slug"], "all-tomorrows-parties"])
    html = as_person(MINA).get(url).text
    assert "Where the circle is" in html
    assert "Most of you are in chapter 4" in html
    assert "Reached by 4 members" in html and "Reached by 1 member<" in html
    assert "You don’t share your place" in html


def test_max_has_a_bell_notice_for_each_flag(demo):
    max_ = User.objects.get(email=MAX)
    flags = Notification.objects.filter(recipient=max_, kind="flag_raised")
    assert flags.count() == 2 and all(n.is_unread for n in flags)
    html = as_person(MAX).get(reverse("notifications:notification-list")).text
    assert "Mina flagged Pablo’s comment: Off topic" in html
    assert "Noor flagged Pablo’s comment: Spam" in html
    assert "2 open flags" in as_person(MAX).get(reverse("circles:my-circles")).text
