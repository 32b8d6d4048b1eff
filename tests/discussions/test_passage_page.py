"""A passage's page: its threads, note links that still work, re-attaching orphans, and a
thread's Web Annotation."""

from __future__ import annotations

import json

import pytest

from discussions.models import AnchorStatus, Comment
from discussions.panels import absolutize_links
from tests.factories import make_margin

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "html,expected",
    [
        ('<a href="#note-2">2</a>', '<a href="/c/r/3/#note-2">2</a>'),
        ('<a href="../7/#note-1">1</a>', '<a href="/c/r/7/#note-1">1</a>'),
        ('<a class="x" href="https://example.org/">e</a>', '<a class="x" href="https://example.org/">e</a>'),
        ('<a href="/library/x/">l</a>', '<a href="/library/x/">l</a>'),
        ("plain text, no links", "plain text, no links"),
    ],
)  # fmt: skip
def test_relative_note_links_become_chapter_links(html, expected):
    assert absolutize_links(html, "/c/r/3/") == expected


def test_the_passage_page_rewrites_note_links(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    margin.passage.html = margin.passage.html + ' <a href="#note-1">1</a>'
    margin.passage.save(update_fields=["html"])
    html = client.get(margin.passage_url()).content.decode()
    assert f'href="{margin.chapter_url()}#note-1"' in html


def test_it_shows_every_thread_and_a_form_for_members(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    margin.comment(member, "First thread")
    margin.comment(moderator, "Second thread", start=0, end=5)
    client.force_login(member)
    html = client.get(margin.passage_url() + "?compose=1").content.decode()
    assert "First thread" in html and "Second thread" in html
    assert 'name="idempotency_key"' in html and "hx-disable" in html


def test_a_selection_shows_the_quote_that_will_be_kept(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    client.force_login(member)
    text = margin.passage.text
    html = client.get(margin.passage_url() + "?start=0&end=7").content.decode()
    assert f"“{text[:7]}”" in html and 'name="start" value="0"' in html
    html = client.get(margin.passage_url() + "?start=3&end=99999").content.decode()
    assert "beyond the passage" in html


def test_bad_offsets_are_a_clear_error(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    client.force_login(member)
    response = client.post(
        margin.create_url(),
        {
            "body": "x",
            "idempotency_key": "6a2f41a6-1d1e-4a53-9bb5-2f9a2b1c3d4e",
            "start": 9,
            "end": 2,
        },
    )
    assert response.status_code == 422
    assert "The selection is empty" in response.content.decode()
    assert not Comment.objects.exists()


def orphan(margin, author):
    root = margin.comment(author, "Lost words", start=0, end=5)
    Comment.objects.filter(pk=root.pk).update(passage=None, anchor_status=AnchorStatus.ORPHANED)
    return root


def test_orphans_are_listed_on_the_chapter_and_passage(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    root = orphan(margin, member)
    from discussions.models import ChapterDiscussion

    ChapterDiscussion.bump(margin.circle.pk, margin.chapter.pk)
    chapter = client.get(margin.chapter_url()).content.decode()
    assert "Comments whose text changed" in chapter
    # Its passage row is gone: the link opens the thread's own page.
    assert f'href="/circles/{margin.circle.slug}/threads/{root.pk}/"' in chapter
    passage = client.get(margin.passage_url()).content.decode()
    assert "Lost words" in passage and "Re-attach" not in passage


@pytest.mark.parametrize("person,expected", [("member", 403), ("moderator", 302)])
def test_a_moderator_reattaches_an_orphan(client, organizer, moderator, member, person, expected):
    margin = make_margin(organizer, moderator, member)
    root = orphan(margin, member)
    target = margin.chapter.passages.order_by("position").last()
    client.force_login(moderator if person == "moderator" else member)
    if person == "moderator":
        assert "Re-attach" in client.get(margin.passage_url()).content.decode()
    response = client.post(
        f"/circles/{margin.circle.slug}/comments/{root.pk}/reattach/",
        {"passage": target.key, "start": 0, "end": 9},
    )
    assert response.status_code == expected
    root.refresh_from_db()
    if expected == 302:
        assert root.passage_id == target.pk and root.anchor_status == AnchorStatus.ANCHORED
        assert root.anchor_exact == target.text[:9]
    else:
        assert root.anchor_status == AnchorStatus.ORPHANED


def test_the_annotation_is_a_web_annotation(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    root = margin.comment(member, "Look", start=0, end=5)
    response = client.get(f"/circles/{margin.circle.slug}/comments/{root.pk}/annotation.json")
    data = json.loads(response.content)
    assert response["Content-Type"].startswith("application/ld+json")
    assert data["type"] == "Annotation"
    fragment, css = data["target"]["selector"]
    assert (fragment["type"], fragment["value"]) == ("FragmentSelector", f"pt-{margin.passage.key}")
    assert (css["type"], css["value"]) == ("CssSelector", f"#pt-{margin.passage.key}")
    assert css["refinedBy"] == fragment["refinedBy"]
    selectors = {s["type"]: s for s in fragment["refinedBy"]}
    assert selectors["TextQuoteSelector"]["exact"] == margin.passage.text[:5]
    assert selectors["TextPositionSelector"] == {
        "type": "TextPositionSelector", "start": 0, "end": 5,
    }  # fmt: skip


def test_private_notes_are_404_to_others(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    note = margin.comment(member, "mine", is_private=True)
    client.force_login(moderator)
    url = f"/circles/{margin.circle.slug}/comments/{note.pk}/annotation.json"
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 200
