"""A thread's own page, for threads whose passage is gone (a re-import dropped it): reading it,
replying, editing, deleting and re-attaching it there, and every link that leads to it."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from discussions.models import AnchorStatus, Comment
from discussions.services import delete_comment, post_comment
from notifications.models import Notification
from readings.models import Passage
from tests.factories import make_margin
from tests.permission_matrix import LOGIN, client_as, everyone, outcome

pytestmark = pytest.mark.django_db


def drop_passage(margin, passage: Passage | None = None) -> None:
    """What a re-import that no longer has the passage does: the row goes, its threads stay
    (orphaned, with their quote and the passage's key)."""
    passage = passage or margin.passage
    Comment.objects.filter(passage=passage, parent__isnull=True).update(
        anchor_status=AnchorStatus.ORPHANED
    )
    passage.delete()


@pytest.fixture
def world(organizer, moderator, member, outsider, staff):
    """`world(private=...)` → (margin, people, root, reply): a thread whose passage is gone."""

    def build(*, private: bool = False):
        margin = make_margin(organizer, moderator, member, private=private)
        root = margin.comment(member, "About *these* words", start=0, end=12)
        reply = post_comment(
            circle=margin.circle, passage=None, author=moderator, body="A reply", parent=root
        ).comment
        drop_passage(margin)
        root.refresh_from_db()
        reply.refresh_from_db()
        people = everyone(
            organizer=organizer, moderator=moderator, member=member, outsider=outsider,
            staff=staff, banned=margin.banned,
        )  # fmt: skip
        return margin, people, root, reply

    return build


def thread_url(margin, root) -> str:
    return reverse("discussions:thread", args=[margin.circle.slug, root.pk])


READ_PUBLIC = {
    "anonymous": 200,
    "outsider": 200,
    "banned": 200,
    "member": 200,
    "moderator": 200,
    "organizer": 200,
}
READ_PRIVATE = {**READ_PUBLIC, "anonymous": 404, "outsider": 404, "banned": 404}


@pytest.mark.parametrize("private", [False, True])
@pytest.mark.parametrize("person", list(READ_PUBLIC))
def test_reading_rows(world, private, person):
    margin, people, root, reply = world(private=private)
    response = client_as(people[person]).get(thread_url(margin, root))
    assert response.status_code == (READ_PRIVATE if private else READ_PUBLIC)[person]
    if response.status_code == 200:
        html = response.content.decode()
        assert "A thread whose text changed" in html
        assert f"“{root.anchor_exact}”" in html  # its stored quote
        assert "About <em>these</em> words" in html and "A reply" in html


@pytest.mark.parametrize("person", ["member", "organizer", "moderator"])
def test_only_moderators_see_the_reattach_form(world, person):
    margin, people, root, reply = world()
    html = client_as(people[person]).get(thread_url(margin, root)).content.decode()
    assert ("Re-attach this thread" in html) == (person != "member")


def test_the_passage_of_a_thread_without_one_is_404_but_its_thread_page_is_not(world, member):
    margin, people, root, reply = world()
    client = client_as(member)
    assert client.get(margin.passage_url(margin.passage)).status_code == 404
    assert client.get(thread_url(margin, root)).status_code == 200


def test_comments_whose_passage_is_gone_link_to_the_thread_page(world):
    margin, people, root, reply = world()
    assert root.get_absolute_url() == f"{thread_url(margin, root)}#c-{root.pk}"
    # A reply's address shows it wherever it is among the thread's pages of replies.
    assert reply.get_absolute_url() == f"{thread_url(margin, root)}?c={reply.pk}#c-{reply.pk}"


def test_a_thread_whose_passage_is_there_lives_on_the_passage_page(client, world, member):
    margin, people, root, reply = world()
    other = Passage.objects.in_chapter(margin.chapter).first()
    anchored = margin.comment(member, "Still anchored", passage=other)
    response = client.get(thread_url(margin, anchored))
    assert response.status_code == 302
    assert response["Location"] == f"{margin.passage_url(other)}#t-{anchored.pk}"
    assert anchored.get_absolute_url().startswith(margin.passage_url(other))


def test_a_reply_s_address_goes_to_its_place_in_the_thread(client, world):
    margin, people, root, reply = world()
    response = client.get(thread_url(margin, reply))
    assert response.status_code == 302
    assert response["Location"] == f"{thread_url(margin, root)}?c={reply.pk}#c-{reply.pk}"


def test_someone_else_s_private_note_is_404(world, member, moderator):
    margin, people, root, reply = world()
    note = margin.comment(member, "Mine alone", passage=Passage.objects.first(), is_private=True)
    Comment.objects.filter(pk=note.pk).update(passage=None, anchor_status=AnchorStatus.ORPHANED)
    assert client_as(member).get(thread_url(margin, note)).status_code == 200
    assert client_as(moderator).get(thread_url(margin, note)).status_code == 404


def test_a_thread_deleted_whole_is_404(world, member):
    margin, people, root, reply = world()
    lone = margin.comment(member, "Soon gone", passage=Passage.objects.first())
    delete_comment(lone)
    Comment.objects.filter(pk=lone.pk).update(passage=None, anchor_status=AnchorStatus.ORPHANED)
    assert client_as(member).get(thread_url(margin, lone)).status_code == 404


def test_htmx_gets_only_the_panel(world, member):
    margin, people, root, reply = world()
    response = client_as(member).get(thread_url(margin, root), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="thread-panel"')
    assert "<html" not in html and "A reply" in html


def test_the_chapter_s_orphan_list_opens_the_thread_page(world, member):
    margin, people, root, reply = world()
    html = client_as(member).get(margin.chapter_url()).content.decode()
    url = thread_url(margin, root)
    # The link loads into the margin's panel: the chapter's layout targets it for every link.
    assert 'class="margin-layout" data-hx-target="#thread-panel" data-hx-swap="outerHTML"' in html
    assert f'href="{url}" data-hx-get="{url}"' in html
    assert f"{margin.passage.key}/#t-{root.pk}" not in html


@pytest.mark.django_db(transaction=True)  # the notice is made once the reply commits
def test_recent_threads_and_notifications_lead_to_the_thread_page(world, member):
    margin, people, root, reply = world()
    client = client_as(member)
    home = client.get(margin.circle.get_absolute_url()).content.decode()
    assert f'href="{thread_url(margin, root)}#c-{root.pk}"' in home
    notification = Notification.objects.get(recipient=member, comment=reply)
    response = client.get(reverse("notifications:notification-open", args=[notification.pk]))
    assert response["Location"] == f"{thread_url(margin, root)}?c={reply.pk}#c-{reply.pk}"
    assert client.get(response["Location"]).status_code == 200


# --- writing on the thread page ------------------------------------------------------------


def reply_url(margin, root) -> str:
    return reverse("discussions:thread-reply", args=[margin.circle.slug, root.pk])


WRITE = {
    "anonymous": LOGIN,
    "outsider": 403,
    "banned": 403,
    "member": 302,
    "moderator": 302,
    "organizer": 302,
}


@pytest.mark.parametrize("person", list(WRITE))
def test_replying_rows(world, person):
    margin, people, root, reply = world()
    response = client_as(people[person]).post(
        reply_url(margin, root),
        {"body": "Late answer", "parent": reply.pk, "idempotency_key": str(uuid.uuid4())},
    )
    assert outcome(response) == WRITE[person]
    posted = Comment.objects.filter(body="Late answer").first()
    assert (posted is not None) == (WRITE[person] == 302)
    if posted is not None:
        assert response["Location"] == f"{thread_url(margin, root)}?c={posted.pk}#c-{posted.pk}"
        assert (posted.root_id, posted.parent_id, posted.passage_id) == (root.pk, reply.pk, None)


def test_the_reply_form_is_on_the_thread_page(world, member):
    margin, people, root, reply = world()
    html = client_as(member).get(f"{thread_url(margin, root)}?reply={reply.pk}").content.decode()
    assert f'action="{reply_url(margin, root)}"' in html and 'id="reply-body"' in html


def test_a_reply_to_a_comment_of_another_thread_is_404(world, member):
    margin, people, root, reply = world()
    elsewhere = margin.comment(member, "Elsewhere", passage=Passage.objects.first())
    response = client_as(member).post(
        reply_url(margin, root),
        {"body": "Lost", "parent": elsewhere.pk, "idempotency_key": str(uuid.uuid4())},
    )
    assert response.status_code == 404
    assert not Comment.objects.filter(body="Lost").exists()


def test_an_htmx_reply_gets_the_thread_panel_back(world, member):
    margin, people, root, reply = world()
    response = client_as(member).post(
        reply_url(margin, root),
        {"body": "Through htmx", "parent": root.pk, "idempotency_key": str(uuid.uuid4())},
        headers={
            "HX-Request": "true",
            "HX-Current-URL": f"http://testserver{margin.chapter_url()}",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="thread-panel"') and "Through htmx" in html
    assert 'id="discussion-count" data-hx-swap-oob="true"' in html  # the chapter's totals
    assert "margin:posted" in response["HX-Trigger"]


def test_an_empty_reply_is_refused_in_place(world, member):
    margin, people, root, reply = world()
    response = client_as(member).post(
        reply_url(margin, root), {"body": " ", "parent": root.pk, "idempotency_key": uuid.uuid4()}
    )
    assert response.status_code == 422
    assert 'id="reply-body"' in response.content.decode()


def test_the_author_edits_and_deletes_on_the_thread_page(world, member):
    margin, people, root, reply = world()
    client = client_as(member)
    edit = reverse("discussions:comment-edit", args=[margin.circle.slug, root.pk])
    response = client.get(edit)
    assert response["Location"] == f"{thread_url(margin, root)}?edit={root.pk}#c-{root.pk}"
    assert f'id="edit-body-{root.pk}"' in client.get(response["Location"]).content.decode()

    response = client.post(edit, {"body": "Better words"})
    assert response.status_code == 302 and response["Location"].startswith(thread_url(margin, root))
    root.refresh_from_db()
    assert root.body == "Better words" and root.edited_at is not None

    delete = reverse("discussions:comment-delete", args=[margin.circle.slug, root.pk])
    response = client.post(delete, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="thread-panel"')
    assert "This comment was deleted." in html and "A reply" in html


def test_a_refused_reattach_shows_the_form_with_its_error(world, moderator):
    margin, people, root, reply = world()
    url = reverse("discussions:comment-reattach", args=[margin.circle.slug, root.pk])
    response = client_as(moderator).post(url, {"passage": "nosuchkey", "start": 0, "end": 4})
    html = response.content.decode()
    assert response.status_code == 422
    assert "There is no passage with that key in this reading." in html
    assert "A thread whose text changed" in html


def test_a_moderator_reattaches_from_the_thread_page(world, moderator):
    margin, people, root, reply = world()
    target = Passage.objects.in_chapter(margin.chapter).last()
    url = reverse("discussions:comment-reattach", args=[margin.circle.slug, root.pk])
    response = client_as(moderator).post(url, {"passage": target.key, "start": 0, "end": 5})
    root.refresh_from_db()
    assert (root.passage_id, root.anchor_status) == (target.pk, AnchorStatus.ANCHORED)
    assert response["Location"] == f"{margin.passage_url(target)}#c-{root.pk}"


def test_the_page_is_within_its_query_budget(
    world, member, posting_unlimited, django_assert_max_num_queries
):
    margin, people, root, reply = world()
    for n in range(20):
        post_comment(
            circle=margin.circle, passage=None, author=member, body=f"Reply {n}", parent=root
        )
    client = client_as(member)
    # 10: the thread's first comment, a page of its replies and its count are three queries.
    with django_assert_max_num_queries(10):
        assert client.get(thread_url(margin, root)).status_code == 200


def test_a_long_thread_page_shows_its_replies_a_page_at_a_time(
    world, member, moderator, posting_unlimited
):
    from discussions.thread_pages import REPLIES_PER_PAGE

    margin, people, root, reply = world()
    for n in range(REPLIES_PER_PAGE + 4):
        last = post_comment(
            circle=margin.circle, passage=None, author=moderator, body=f"Reply {n}", parent=root
        ).comment
    client = client_as(member)
    first = client.get(thread_url(margin, root)).content.decode()
    assert first.count('class="comment comment--depth') == 1 + REPLIES_PER_PAGE
    assert f'href="{thread_url(margin, root)}?from={REPLIES_PER_PAGE}"' in first
    assert f"{REPLIES_PER_PAGE + 6} comments" in first  # the whole thread’s count
    second = client.get(f"{thread_url(margin, root)}?from={REPLIES_PER_PAGE}").content.decode()
    assert second.count('class="comment comment--depth') == 1 + 5
    assert "Earlier replies" in second and "Later replies" not in second
    # The last reply's address shows it on the first page too.
    assert f'id="c-{last.pk}"' not in first
    assert f'id="c-{last.pk}"' in client.get(last.get_absolute_url()).content.decode()
