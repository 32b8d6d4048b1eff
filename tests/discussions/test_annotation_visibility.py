"""A thread's annotation.json goes only to those who see the comment in the margin: a hidden
comment to its author and the moderators, a deleted one while it keeps a place in its
thread; everyone else gets 404, as for a comment that is not there."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from discussions.moderation import hide_comment
from discussions.services import delete_comment, reply
from tests.factories import make_margin, make_user

pytestmark = pytest.mark.django_db

PEOPLE = ("anonymous", "outsider", "member", "author", "replier", "moderator")


@pytest.fixture
def margin(organizer, moderator, member):
    return make_margin(organizer, moderator, member)


@pytest.fixture
def people(member, moderator, outsider):
    return {
        "anonymous": None,
        "outsider": outsider,
        "member": member,
        "author": make_user("ada.author@example.org", display_name="Ada"),
        "replier": make_user("rex.replier@example.org", display_name="Rex"),
        "moderator": moderator,
    }


def thread(margin, people, *, root_state="visible", reply_state=None):
    """A thread started by the author (with a reply by the replier, when `reply_state`)."""
    for name in ("author", "replier"):
        margin.circle.add_member(people[name])
    root = margin.comment(people["author"], "The first words", start=0, end=9)
    answer = None
    if reply_state:
        answer = reply(root, author=people["replier"], body="An answer").comment
        if reply_state == "hidden":
            hide_comment(answer, people["moderator"], "Rude")
        elif reply_state == "deleted":
            delete_comment(answer)
    root.refresh_from_db()
    if root_state == "hidden":
        hide_comment(root, people["moderator"], "Off topic")
    elif root_state == "deleted":
        delete_comment(root)
    return root, answer


def statuses(client, margin, people, comment) -> dict[str, int]:
    url = reverse("discussions:comment-annotation", args=[margin.circle.slug, comment.pk])
    found = {}
    for name in PEOPLE:
        client.logout()
        if people[name] is not None:
            client.force_login(people[name])
        found[name] = client.get(url).status_code
    return found


def only(*allowed: str) -> dict[str, int]:
    return {name: 200 if name in allowed else 404 for name in PEOPLE}


def test_a_visible_thread_is_served_to_everyone_who_sees_the_circle(client, margin, people):
    root, _ = thread(margin, people)
    assert statuses(client, margin, people, root) == only(*PEOPLE)


def test_a_hidden_thread_only_to_its_author_and_the_moderators(client, margin, people):
    root, _ = thread(margin, people, root_state="hidden")
    assert statuses(client, margin, people, root) == only("author", "moderator")


def test_a_hidden_thread_with_replies_still_only_to_its_author_and_the_moderators(
    client, margin, people
):
    root, answer = thread(margin, people, root_state="hidden", reply_state="visible")
    assert statuses(client, margin, people, root) == only("author", "moderator")
    # Asked for through its visible reply, the thread is still the hidden comment's.
    assert statuses(client, margin, people, answer) == only("author", "moderator")


def test_a_deleted_thread_with_no_replies_to_nobody(client, margin, people):
    root, _ = thread(margin, people, root_state="deleted")
    assert statuses(client, margin, people, root) == only()


def test_a_deleted_thread_whose_reply_is_visible_to_everyone_without_its_words(
    client, margin, people
):
    root, _ = thread(margin, people, root_state="deleted", reply_state="visible")
    assert statuses(client, margin, people, root) == only(*PEOPLE)
    client.force_login(people["moderator"])
    url = reverse("discussions:comment-annotation", args=[margin.circle.slug, root.pk])
    data = json.loads(client.get(url).content)
    assert "creator" not in data and "created" not in data and "body" not in data
    assert data["target"]["selector"][0]["refinedBy"][0]["exact"] == margin.passage.text[:9]


def test_a_deleted_thread_whose_reply_is_hidden_to_those_who_see_that_reply(client, margin, people):
    root, answer = thread(margin, people, root_state="deleted", reply_state="hidden")
    assert statuses(client, margin, people, root) == only("replier", "moderator")
    assert statuses(client, margin, people, answer) == only("replier", "moderator")


def test_a_hidden_thread_gives_its_words_to_those_who_read_them_in_the_margin(
    client, margin, people
):
    root, _ = thread(margin, people, root_state="hidden")
    client.force_login(people["author"])
    url = reverse("discussions:comment-annotation", args=[margin.circle.slug, root.pk])
    data = json.loads(client.get(url).content)
    assert data["body"][1] == {
        "type": "TextualBody",
        "format": "text/html",
        "value": root.body_html,
    }
    assert data["creator"]["name"] == "Ada"
    page = client.get(margin.passage_url()).content.decode()
    assert "The first words" in page  # the margin shows the author the same words
