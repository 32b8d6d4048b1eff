"""A session's handout, printable and in Markdown: the agenda, each raised thread with its
quote, chapter, passage link and comments with authors and dates; never the chapters' text;
nothing hidden or private; spoilers folded as for the person downloading."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from discussions.models import AgendaItem, RaiseMark
from discussions.moderation import hide_comment
from discussions.services import post_comment
from tests.factories import Margin, make_meeting


@pytest.fixture
def meeting(margin: Margin):
    return make_meeting(
        margin.circle,
        margin.reading,
        first=1,
        last=2,
        title="Session 2: One and Two",
        agenda="1. Warm up\n2. The raised threads",
    )


@pytest.fixture
def raised(margin: Margin, meeting, member, moderator):
    """A raised thread on chapter 1 with a reply, a hidden reply and someone's private note."""
    thread = margin.comment(member, "The **opening** line matters.", start=0, end=9)
    post_comment(
        circle=margin.circle, passage=None, author=moderator, body="Agreed!", parent=thread
    )
    rude = post_comment(
        circle=margin.circle, passage=None, author=moderator, body="Rude reply.", parent=thread
    ).comment
    hide_comment(rude, moderator, "Not for this circle.")
    margin.comment(moderator, "My private musing.", is_private=True)
    RaiseMark.objects.create(thread=thread, user=moderator)
    return thread


def handout_urls(meeting) -> tuple[str, str]:
    args = [meeting.circle.slug, meeting.pk]
    return (
        reverse("discussions:meeting-handout", args=args),
        reverse("discussions:meeting-handout-md", args=args),
    )


def test_the_printable_handout_holds_the_agenda_and_its_threads(
    client, margin, meeting, raised, organizer
):
    client.force_login(organizer)
    page = client.get(handout_urls(meeting)[0]).content.decode()
    assert "Warm up" in page
    assert f"“{raised.anchor_exact}”" in page
    assert "The <strong>opening</strong> line matters." in page
    assert "Agreed!" in page
    assert "Mina" in page and "Max" in page
    assert "css/handout.css" in page
    # Hidden and private content stays out, even for the organizer; so does the text.
    assert "Rude reply." not in page
    assert "My private musing." not in page
    assert margin.passage.text not in page


def test_the_markdown_handout_downloads_as_a_file(client, margin, meeting, raised, member):
    client.force_login(member)
    response = client.get(handout_urls(meeting)[1])
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="public-readers-')
    text = response.content.decode()
    assert text.startswith("# Session 2: One and Two\n")
    assert "## Agenda\n\n1. Warm up\n2. The raised threads" in text
    assert f"> “{raised.anchor_exact}”" in text
    assert "The **opening** line matters." in text
    assert "### Max, " in text and "(reply)" in text
    assert "Passage: <http://" in text and f"#t-{raised.pk}>" in text
    assert "Rude reply." not in text
    assert "My private musing." not in text
    assert "\n\n\n" not in text
    assert "&quot;" not in text and "&#x27;" not in text


def test_discussed_threads_say_so_with_a_link_to_the_notes(client, margin, meeting, raised, member):
    AgendaItem.objects.create(meeting=meeting, thread=raised, discussed_at=meeting.starts_at)
    meeting.notes = "We agreed on the *opening*."
    meeting.save(update_fields=["notes"])
    client.force_login(member)
    page = client.get(handout_urls(meeting)[0]).content.decode()
    assert "Discussed at Session 2" in page
    assert "Notes from the session" in page and "<em>opening</em>" in page
    text = client.get(handout_urls(meeting)[1]).content.decode()
    notes = f"{settings.SITE_URL}{meeting.get_absolute_url()}#notes"
    assert f"Discussed at Session 2: <{notes}>" in text


def test_spoilers_are_folded_as_for_the_person_downloading(client, margin, member, moderator):
    meeting = make_meeting(margin.circle, margin.reading, first=3, last=3)
    passage = margin.reading.chapters.get(number=3).passages.first()
    thread = margin.comment(moderator, "What happens at the end.", passage=passage)
    RaiseMark.objects.create(thread=thread, user=moderator)
    html_url, md_url = handout_urls(meeting)
    client.force_login(member)
    assert "What happens at the end." not in client.get(html_url).content.decode()
    text = client.get(md_url).content.decode()
    assert "What happens at the end." not in text
    assert "1 thread on chapters you haven’t read left out" in text
    assert "What happens at the end." in client.get(md_url + "?spoilers=show").content.decode()
    client.force_login(moderator)  # read it themselves: within their horizon
    assert "What happens at the end." in client.get(md_url).content.decode()


@pytest.mark.parametrize("private", [False, True])
def test_who_may_read_the_handout(organizer, moderator, member, outsider, staff, private):
    from tests.factories import make_margin
    from tests.permission_matrix import client_as, everyone

    margin = make_margin(organizer, moderator, member, private=private)
    meeting = make_meeting(margin.circle, margin.reading, first=1, last=1)
    people = everyone(
        organizer=organizer, moderator=moderator, member=member, outsider=outsider, staff=staff
    )
    for name, person in people.items():
        for url in handout_urls(meeting):
            status = client_as(person).get(url).status_code
            hidden = private and name in ("anonymous", "outsider")
            assert status == (404 if hidden else 200), (name, url)
