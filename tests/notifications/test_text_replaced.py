"""When staff replace a reading's text, the organizers of every circle reading it are told once,
with how many of that circle's threads need re-attaching, and led to the circle's list of
them; nobody else is told."""

from __future__ import annotations

import pytest
from django.urls import reverse

from discussions.models import AnchorStatus, Comment
from notifications.models import Notification, NotificationKind
from readings.importers.base import ParsedChapter, ParsedPassage, ParsedReading
from readings.replacement import Upload, replace_text
from tests.factories import make_circle, make_user

# Notifications are made once a write commits: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)


def without_last_chapter(reading) -> ParsedReading:
    chapters = reading.chapters.order_by("number")
    return ParsedReading(
        title=reading.title,
        author=reading.author,
        chapters=[
            ParsedChapter(
                title=chapter.title,
                passages=[ParsedPassage(p.kind, p.text, p.html) for p in chapter.passages.all()],
            )
            for chapter in list(chapters)[:-1]
        ],
    )


def test_each_circles_organizers_hear_how_many_of_their_threads_need_re_attaching(
    client, margin, organizer, member, staff
):
    other_organizer = make_user("otto@example.org", display_name="Otto")
    other = make_circle(other_organizer, name="Night Readers", readings=[margin.reading])
    last = margin.reading.chapters.order_by("-number").first()
    passage = last.passages.first()
    margin.comment(member, "On the ending", passage=passage, start=0, end=6)
    margin.comment(member, "And the whole of it", passage=passage)

    replace_text(
        margin.reading,
        without_last_chapter(margin.reading),
        Upload(b"corrected", "corrected.txt"),
        user=staff,
    )

    assert Comment.objects.filter(anchor_status=AnchorStatus.ORPHANED).count() == 2
    [notice] = Notification.objects.filter(recipient=organizer)
    assert notice.kind == NotificationKind.TEXT_REPLACED and notice.circle == margin.circle
    assert notice.headline == "The text of “The Margins” was replaced: 2 threads need re-attaching"
    assert notice.target_url == reverse(
        "discussions:reading-orphans", args=[margin.circle.slug, margin.reading.slug]
    )
    [elsewhere] = Notification.objects.filter(recipient=other_organizer)
    assert elsewhere.circle == other
    assert elsewhere.headline.endswith("every thread found its words")
    assert not Notification.objects.filter(recipient=member).exists()

    client.force_login(organizer)
    page = client.get(notice.target_url).content.decode()
    assert page.count('class="orphan"') == 2
