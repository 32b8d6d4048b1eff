"""A reading's threads whose text changed, on one page for the circle: also those whose chapter
a re-import removed, which no chapter page lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from discussions.models import AnchorStatus
from discussions.moderation import hide_comment
from readings.importers.base import ParsedChapter, ParsedPassage, ParsedReading
from readings.services import reimport_reading
from tests.permission_matrix import EVERYONE, INSIDERS, PEOPLE, Rule, client_as, everyone, outcome

pytestmark = pytest.mark.django_db


def drop_last_chapter(reading) -> None:
    """Re-import the reading without its last chapter (its passages and threads lose their
    place)."""
    kept = reading.chapters.order_by("number")[: reading.chapters.count() - 1]
    reimport_reading(
        reading,
        ParsedReading(
            title=reading.title,
            author=reading.author,
            chapters=[
                ParsedChapter(
                    title=chapter.title,
                    passages=[
                        ParsedPassage(p.kind, p.text, p.html)
                        for p in chapter.passages.order_by("position")
                    ],
                )
                for chapter in kept
            ],
        ),
    )


def url(margin) -> str:
    return reverse("discussions:reading-orphans", args=[margin.circle.slug, margin.reading.slug])


def test_a_thread_whose_chapter_was_removed_is_listed_and_the_contents_link_to_it(
    client, margin, member
):
    last = margin.reading.chapters.order_by("-number").first()
    passage = last.passages.order_by("position").first()
    root = margin.comment(member, "About the ending", passage=passage, start=0, end=6)
    margin.comment(member, "Still here", parent=root)
    drop_last_chapter(margin.reading)
    root.refresh_from_db()
    assert (root.anchor_status, root.chapter_id, root.passage_id) == (
        AnchorStatus.ORPHANED,
        None,
        None,
    )

    contents = client.get(
        reverse("discussions:circle-reading", args=[margin.circle.slug, margin.reading.slug])
    ).content.decode()
    assert "1 thread whose text changed" in contents and url(margin) in contents

    page = client.get(url(margin)).content.decode()
    assert "Chapters no longer in the text" in page
    assert f"“{passage.text[:6]}”" in page
    assert "1 reply" in page
    root.circle = margin.circle
    assert root.get_absolute_url() in page


def test_hidden_and_private_orphans_follow_the_margin_rules(client, margin, member, moderator):
    last = margin.reading.chapters.order_by("-number").first()
    passage = last.passages.order_by("position").first()
    margin.comment(member, "My own note", passage=passage, is_private=True)
    hidden = margin.comment(member, "Hidden words", passage=passage)
    hide_comment(hidden, moderator, "Rude")
    drop_last_chapter(margin.reading)

    anonymous = client.get(url(margin)).content.decode()
    assert 'class="orphan"' not in anonymous  # neither someone's note nor a hidden comment
    assert "Every thread on this reading is on its words." in anonymous
    client.force_login(member)
    assert client.get(url(margin)).content.decode().count('class="orphan"') == 1  # the note


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
def test_who_opens_the_list(
    request, organizer, moderator, member, outsider, staff, person, visibility
):
    chosen = request.getfixturevalue("margin" if visibility == "public" else "private_margin")
    rule = Rule(EVERYONE, private=INSIDERS, login_required=False)
    people = everyone(
        organizer=organizer, moderator=moderator, member=member, outsider=outsider, staff=staff
    )
    response = client_as(people[person]).get(url(chosen))
    assert outcome(response) == rule.expect(person, visibility)
