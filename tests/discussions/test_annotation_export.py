"""A circle's margin as W3C Web Annotations: every annotation, collection and page the app
emits meets the model's MUSTs; replies are annotations replying to their parent; organizers
get the whole margin, paged; nobody's private notes but their own; "Download my data" holds a
person's comments as annotations too."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from discussions import annotations
from discussions.moderation import hide_comment
from discussions.services import reply
from tests.discussions.web_annotation_model import ANNOTATION, COLLECTION, PAGE, problems
from tests.permission_matrix import ORGANIZERS, PEOPLE, Rule, client_as, everyone, outcome

pytestmark = pytest.mark.django_db


def collection_url(margin) -> str:
    return reverse("discussions:annotation-collection", args=[margin.circle.slug])


def test_a_thread_and_its_reply_are_annotations_of_the_model(client, margin, member, moderator):
    root = margin.comment(member, "*Look* here", start=0, end=5)
    answer = reply(root, author=moderator, body="I see it").comment
    root_data = client.get(
        reverse("discussions:comment-annotation", args=[margin.circle.slug, root.pk])
    ).json()
    reply_data = client.get(
        reverse("discussions:comment-annotation", args=[margin.circle.slug, answer.pk])
    ).json()
    assert problems(ANNOTATION, root_data) == []
    assert problems(ANNOTATION, reply_data) == []
    assert root_data["motivation"] == "commenting"
    assert [body["value"] for body in root_data["body"]] == ["*Look* here", root.body_html]
    assert reply_data["motivation"] == "replying"
    assert reply_data["target"] == root_data["id"]


def test_organizers_get_the_whole_margin_paged(
    client, margin, member, organizer, posting_unlimited
):
    for n in range(annotations.PAGE_SIZE + 3):
        margin.comment(member, f"Thought {n}")
    client.force_login(organizer)
    collection = client.get(collection_url(margin))
    assert collection["Content-Type"].startswith("application/ld+json")
    data = collection.json()
    assert problems(COLLECTION, data) == []
    assert data["total"] == annotations.PAGE_SIZE + 3
    first = client.get(data["first"]).json()
    assert problems(PAGE, first) == []
    assert len(first["items"]) == annotations.PAGE_SIZE and "prev" not in first
    last = client.get(first["next"]).json()
    assert problems(PAGE, last) == []
    assert last["id"] == data["last"] and last["startIndex"] == annotations.PAGE_SIZE
    assert [item["body"][0]["value"] for item in last["items"]] == [
        f"Thought {n}" for n in range(annotations.PAGE_SIZE, annotations.PAGE_SIZE + 3)
    ]
    assert client.get(f"{collection_url(margin)}?page=3").status_code == 404


def test_private_notes_only_their_authors_and_hidden_comments_for_moderators(
    client, margin, member, organizer, moderator
):
    margin.comment(member, "Mina's own note", is_private=True)
    margin.comment(organizer, "Olive's own note", is_private=True)
    hidden = margin.comment(member, "Rude words")
    hide_comment(hidden, moderator, "Rude")
    client.force_login(organizer)
    page = client.get(f"{collection_url(margin)}?page=1").json()
    bodies = [item["body"][0]["value"] for item in page["items"]]
    assert "Olive's own note" in bodies and "Rude words" in bodies
    assert "Mina's own note" not in bodies


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
def test_who_exports_the_margin(
    request, organizer, moderator, member, outsider, staff, person, visibility
):
    margin = request.getfixturevalue("margin" if visibility == "public" else "private_margin")
    people = everyone(
        organizer=organizer, moderator=moderator, member=member, outsider=outsider, staff=staff
    )
    response = client_as(people[person]).get(collection_url(margin))
    assert outcome(response) == Rule(ORGANIZERS).expect(person, visibility)


def test_my_data_holds_my_comments_as_annotations(client, margin, member, moderator):
    root = margin.comment(member, "Mine", start=0, end=4)
    reply(root, author=member, body="Also mine")
    margin.comment(moderator, "Not mine")
    client.force_login(member)
    data = json.loads(client.get(reverse("accounts:data-export")).content)
    assert [item["body"][0]["value"] for item in data["annotations"]] == ["Mine", "Also mine"]
    for item in data["annotations"]:
        assert problems(ANNOTATION, item) == []
