"""Who may read a circle's chapter and passages, and who may write in its margins."""

from __future__ import annotations

import uuid

import pytest

from discussions.models import Comment
from tests.factories import make_margin
from tests.permission_matrix import LOGIN, client_as, everyone, outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organizer, moderator, member, outsider, staff):
    """`world(private=...)` → the circle's margin and its people, a banned one among them."""

    def build(*, private: bool = False):
        margin = make_margin(organizer, moderator, member, private=private)
        people = everyone(
            organizer=organizer, moderator=moderator, member=member, outsider=outsider,
            staff=staff, banned=margin.banned,
        )  # fmt: skip
        return margin, people

    return build


READ_PUBLIC = {
    "anonymous": 200,
    "outsider": 200,
    "member": 200,
    "banned": 200,
    "moderator": 200,
    "organizer": 200,
}
READ_PRIVATE = {**READ_PUBLIC, "anonymous": 404, "outsider": 404, "banned": 404}


@pytest.mark.parametrize("private", [False, True])
@pytest.mark.parametrize("person", list(READ_PUBLIC))
@pytest.mark.parametrize("page", ["chapter", "passage"])
def test_reading_rows(world, private, person, page):
    margin, people = world(private=private)
    url = margin.chapter_url() if page == "chapter" else margin.passage_url()
    expected = (READ_PRIVATE if private else READ_PUBLIC)[person]
    assert client_as(people[person]).get(url).status_code == expected


WRITE = {
    "anonymous": LOGIN,
    "outsider": 403,
    "banned": 403,
    "member": 302,  # posted, back to the thread
    "moderator": 302,
    "organizer": 302,
}


@pytest.mark.parametrize("person", list(WRITE))
def test_posting_rows_public(world, person):
    margin, people = world()
    response = client_as(people[person]).post(
        margin.create_url(), {"body": "Mine.", "idempotency_key": str(uuid.uuid4())}
    )
    assert outcome(response) == WRITE[person]
    assert Comment.objects.exists() == (WRITE[person] == 302)


@pytest.mark.parametrize("person", ["anonymous", "outsider", "banned"])
def test_outsiders_of_a_private_circle_cannot_learn_it_exists(world, person):
    margin, people = world(private=True)
    expected = LOGIN if person == "anonymous" else 404
    response = client_as(people[person]).post(
        margin.create_url(), {"body": "x", "idempotency_key": uuid.uuid4()}
    )
    assert outcome(response) == expected


def test_a_reading_the_circle_does_not_read_is_404(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    margin.circle.readings.clear()
    assert client.get(margin.chapter_url()).status_code == 404
    assert client.get(margin.passage_url()).status_code == 404


def test_htmx_gets_only_the_thread_panel(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    margin.comment(member, "Hello there")
    html = client.get(margin.passage_url(), HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<section id="thread-panel"')
    assert "<html" not in html and "Hello there" in html


def test_htmx_post_gets_the_panel_and_the_passage_out_of_band(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    client.force_login(member)
    response = client.post(
        margin.create_url(),
        {"body": "Fresh", "idempotency_key": uuid.uuid4(), "start": 0, "end": 5},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver" + margin.chapter_url(),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="pt-{margin.passage.key}" data-hx-swap-oob="true"' in html
    assert 'id="discussion-count" data-hx-swap-oob="true"' in html
    assert "margin:posted" in response["HX-Trigger"]


def test_the_chapter_links_stay_in_the_circle(client, organizer, moderator, member):
    margin = make_margin(organizer, moderator, member)
    html = client.get(margin.chapter_url(2)).content.decode()
    assert f'href="{margin.chapter_url(3)}"' in html
    assert f'href="{margin.chapter_url(1)}"' in html


def test_members_see_what_is_next_up(client, organizer, moderator, member, outsider):
    from tests.factories import make_meeting

    margin = make_margin(organizer, moderator, member)
    make_meeting(margin.circle, margin.reading, title="Talk about chapter one")
    client.force_login(member)
    assert "Talk about chapter one" in client.get(margin.chapter_url()).content.decode()
    client.force_login(outsider)
    assert "Talk about chapter one" not in client.get(margin.chapter_url()).content.decode()
