"""Settings → Download my data: a JSON file of everything we hold about the person."""

from __future__ import annotations

import json

from django.urls import reverse

from circles.models import RSVPAnswer
from tests.factories import make_margin, make_meeting

URL = reverse("accounts:data-export")


def test_anonymous_readers_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_settings_page_links_to_the_download_and_the_deletion(client, member):
    client.force_login(member)
    html = client.get(reverse("accounts:settings")).content.decode()
    assert URL in html
    assert reverse("accounts:account-delete") in html


def test_the_download_holds_profile_memberships_rsvps_and_anchored_comments(
    client, organizer, moderator, member
):
    margin = make_margin(organizer, moderator, member)
    text = margin.passage.text
    start = text.index(text.split()[2])
    end = start + len(text.split()[2])
    root = margin.comment(member, "A phrase worth a look", start=start, end=end)
    margin.comment(member, "And my own reply", parent=root)
    margin.comment(organizer, "Not mine")
    meeting = make_meeting(margin.circle, margin.reading, title="First evening")
    meeting.answer_rsvp(member, RSVPAnswer.GOING)
    client.force_login(member)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="marginalia-data.json"'
    data = json.loads(response.content)
    assert data["profile"]["email"] == "mina.member@example.org"
    assert data["profile"]["display_name"] == "Mina"
    assert data["profile"]["email_addresses"] == [
        {"email": "mina.member@example.org", "verified": True, "primary": True}
    ]
    assert [(m["circle"], m["role"], m["state"]) for m in data["memberships"]] == [
        ("Public Readers", "member", "active")
    ]
    assert [(r["session"], r["circle"], r["answer"]) for r in data["rsvps"]] == [
        ("First evening", "Public Readers", "going")
    ]
    assert [c["body"] for c in data["comments"]] == ["A phrase worth a look", "And my own reply"]
    first, reply = data["comments"]
    assert first["reading"] == "The Margins" and first["chapter"] == 1
    assert first["anchor"]["passage"] == margin.passage.key
    quote, position = first["anchor"]["selector"]
    assert quote["type"] == "TextQuoteSelector"
    assert quote["exact"] == text[start:end]
    assert quote["prefix"] == text[:start][-len(quote["prefix"]) :]
    assert quote["suffix"] and text[end:].startswith(quote["suffix"])
    assert position == {"type": "TextPositionSelector", "start": start, "end": end}
    assert reply["anchor"] is None and reply["in_reply_to"] == root.pk
    assert [r["title"] for r in data["readings"]] == ["The Margins"]


def test_the_download_holds_nothing_of_other_people(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    margin.comment(organizer, "The organizer's words")
    client.force_login(member)
    data = json.loads(client.get(URL).content)
    assert data["comments"] == []
    assert "olive" not in json.dumps(data).lower()


def test_the_download_holds_the_threads_one_raised_at_a_session(
    client, organizer, moderator, member
):
    from discussions.models import RaiseMark

    margin = make_margin(organizer, moderator, member)
    thread = margin.comment(organizer, "Let's talk about this")
    RaiseMark.objects.create(thread=thread, user=member)
    RaiseMark.objects.create(thread=thread, user=moderator)
    client.force_login(member)
    data = json.loads(client.get(URL).content)
    assert [(m["thread"], m["circle"]) for m in data["raised_at_sessions"]] == [
        (thread.pk, "Public Readers")
    ]


def test_the_download_holds_the_history_of_ones_own_comments_as_its_history_page_tells_it(
    client, organizer, moderator, member
):
    from discussions.moderation import hide_comment, restore_comment
    from discussions.services import delete_comment, edit_comment

    margin = make_margin(organizer, moderator, member)
    mine = margin.comment(member, "Teh first words")
    edit_comment(mine, "The first words")
    hide_comment(mine, moderator, "Too sharp")
    restore_comment(mine, moderator, "On reflection, fine")
    reply = margin.comment(member, "Second thoughts", parent=mine)
    delete_comment(reply)
    theirs = margin.comment(organizer, "The organizer's first draft")
    edit_comment(theirs, "The organizer's words")
    client.force_login(member)

    data = json.loads(client.get(URL).content)

    first, deleted = data["comments"]
    assert [
        (r["change"], r["by"], r["summary"], r["reason"], r["body_before"], r["state_before"])
        for r in first["history"]
    ] == [
        ("edit", "author", "Edited by its author", "", "Teh first words", "visible"),
        (
            "hide",
            "moderator",
            "Hidden by a moderator (Max)",
            "Too sharp",
            "The first words",
            "visible",
        ),
        (
            "restore",
            "moderator",
            "Shown again by a moderator (Max)",
            "On reflection, fine",
            "The first words",
            "hidden",
        ),
    ]
    assert all(r["at"] for r in first["history"])
    assert [(r["summary"], r["body_before"]) for r in deleted["history"]] == [
        ("Deleted by its author", "Second thoughts")
    ]
    # The same words as the history page its author reads.
    page = client.get(
        reverse("discussions:comment-history", args=[margin.circle.slug, mine.pk])
    ).content.decode()
    assert all(r["summary"] in page for r in first["history"])
    # Nothing of others' comments' histories.
    assert "organizer's first draft" not in json.dumps(data)


def test_the_download_of_comments_with_histories_takes_a_fixed_number_of_queries(
    client, organizer, moderator, member, django_assert_max_num_queries
):
    from discussions.services import edit_comment

    margin = make_margin(organizer, moderator, member)
    edit_comment(margin.comment(member, "Words"), "Other words")
    client.force_login(member)
    with django_assert_max_num_queries(40) as one:
        client.get(URL)
    for n in range(5):
        edit_comment(margin.comment(member, f"Words {n}"), f"Other words {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(URL)
