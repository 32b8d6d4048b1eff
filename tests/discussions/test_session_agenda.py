"""'Raise at the session' marks on threads, and the agenda they propose on a session's page:
who may mark, one mark per member, undo, the order (most marks first), and the organizers'
edits (move, pin, drop, discussed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from circles.models import Membership
from discussions.agenda import edit_agenda
from discussions.models import AgendaItem, RaiseMark
from discussions.moderation import hide_comment
from tests.factories import Margin, make_meeting, make_user


@pytest.fixture
def meeting(margin: Margin):
    """A session to come over chapters 1–2 of the margin's reading."""
    return make_meeting(margin.circle, margin.reading, first=1, last=2, title="Session 3: One")


def raise_url(margin: Margin, thread) -> str:
    return reverse("discussions:thread-raise", args=[margin.circle.slug, thread.pk])


def edit_url(meeting, thread) -> str:
    return reverse("discussions:agenda-edit", args=[meeting.circle.slug, meeting.pk, thread.pk])


def agenda_of(client, meeting) -> str:
    page = client.get(meeting.get_absolute_url()).content.decode()
    return page[page.index('id="agenda"') : page.index('id="threads-heading"')]


def test_a_member_marks_a_thread_and_takes_the_mark_back(client, margin, meeting, member):
    thread = margin.comment(member, "Worth talking about.")
    client.force_login(member)
    response = client.post(raise_url(margin, thread))
    assert response.status_code == 302
    assert RaiseMark.objects.filter(thread=thread, user=member).count() == 1
    page = client.get(margin.passage_url()).content.decode()
    assert "1 member raised this, you too" in page
    assert 'aria-pressed="true"' in page
    client.post(raise_url(margin, thread))
    assert not RaiseMark.objects.filter(thread=thread).exists()
    assert "Nobody raised this yet" in client.get(margin.passage_url()).content.decode()


def test_marks_are_one_per_member_and_counted(client, margin, meeting, member, moderator):
    thread = margin.comment(member, "Worth talking about.")
    for person in (member, moderator):
        client.force_login(person)
        client.post(raise_url(margin, thread))
    client.force_login(member)
    page = client.get(margin.passage_url()).content.decode()
    assert "2 members raised this, you too" in page
    assert RaiseMark.objects.filter(thread=thread).count() == 2


def test_htmx_gets_only_the_button_and_its_count(client, margin, meeting, member):
    thread = margin.comment(member, "Worth talking about.")
    client.force_login(member)
    response = client.post(raise_url(margin, thread), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<form") or f'id="raise-{thread.pk}"' in body
    assert "<html" not in body
    assert "1 member raised this, you too" in body
    assert 'role="status"' in body


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", "login"), ("outsider", 403), ("banned", 403), ("member", 302)],
)
def test_who_may_mark(client, margin, meeting, member, outsider, who, expected):
    thread = margin.comment(member, "Worth talking about.")
    people = {"anonymous": None, "outsider": outsider, "banned": margin.banned, "member": member}
    if people[who] is not None:
        client.force_login(people[who])
    response = client.post(raise_url(margin, thread))
    if expected == "login":
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
        assert not RaiseMark.objects.exists()
    else:
        assert response.status_code == expected


def test_private_circles_hide_the_mark_from_outsiders(
    client, private_margin, organizer, member, outsider
):
    make_meeting(private_margin.circle, private_margin.reading, first=1, last=1)
    thread = private_margin.comment(member, "Ours.")
    client.force_login(outsider)
    assert client.post(raise_url(private_margin, thread)).status_code == 404


def test_private_notes_hidden_threads_and_replies_cannot_be_marked(
    client, margin, meeting, member, moderator
):
    note = margin.comment(member, "Mine alone.", is_private=True)
    thread = margin.comment(moderator, "Shared.")
    from discussions.services import post_comment

    reply = post_comment(
        circle=margin.circle, passage=None, author=moderator, body="A reply.", parent=thread
    ).comment
    client.force_login(member)
    assert client.post(raise_url(margin, reply)).status_code == 404
    client.force_login(moderator)
    assert client.post(raise_url(margin, note)).status_code == 404  # someone else's note
    client.force_login(member)
    assert client.post(raise_url(margin, note)).status_code == 403  # one's own: not shared
    hide_comment(thread, moderator, "Off topic.")
    assert client.post(raise_url(margin, thread)).status_code == 403


def test_only_threads_on_a_session_to_come_can_be_marked(client, margin, member):
    make_meeting(
        margin.circle,
        margin.reading,
        first=1,
        last=1,
        starts_at=timezone.now() - timedelta(days=3),
    )
    thread = margin.comment(member, "Too late.")
    client.force_login(member)
    assert client.post(raise_url(margin, thread)).status_code == 403
    assert "Raise at the session" not in client.get(margin.passage_url()).content.decode()


def test_the_agenda_lists_marked_threads_most_marks_first(
    client, margin, meeting, member, moderator, organizer
):
    once = margin.comment(member, "Raised once.", start=0, end=5)
    twice = margin.comment(moderator, "Raised twice.", start=6, end=12)
    margin.comment(member, "Not raised.")
    RaiseMark.objects.create(thread=once, user=member)
    RaiseMark.objects.create(thread=twice, user=member)
    RaiseMark.objects.create(thread=twice, user=organizer)
    client.force_login(member)
    agenda = agenda_of(client, meeting)
    assert agenda.index("Raised twice.") < agenda.index("Raised once.")
    assert "Not raised." not in agenda
    assert f"“{twice.anchor_exact}”" in agenda
    assert "2 members raised this" in agenda


def test_the_agenda_leaves_out_hidden_threads(client, margin, meeting, member, moderator):
    thread = margin.comment(member, "Raised but hidden.")
    RaiseMark.objects.create(thread=thread, user=moderator)
    hide_comment(thread, moderator, "Not for this circle.")
    client.force_login(moderator)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Raised but hidden." not in page


def test_the_agenda_folds_threads_beyond_a_members_horizon(client, margin, member, moderator):
    meeting = make_meeting(margin.circle, margin.reading, first=2, last=3)
    chapter3 = margin.reading.chapters.get(number=3).passages.first()
    thread = margin.comment(moderator, "A spoiler of chapter three.", passage=chapter3)
    RaiseMark.objects.create(thread=thread, user=moderator)
    client.force_login(member)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "A spoiler of chapter three." not in page
    assert "1 thread on a chapter you haven’t read" in page
    shown = client.get(meeting.get_absolute_url() + "?spoilers=show").content.decode()
    assert "A spoiler of chapter three." in shown


def test_the_fold_does_not_count_items_organizers_dropped(
    client, margin, member, moderator, organizer
):
    meeting = make_meeting(margin.circle, margin.reading, first=2, last=3)
    chapter3 = margin.reading.chapters.get(number=3).passages.first()
    kept = margin.comment(moderator, "A spoiler kept.", passage=chapter3)
    dropped = margin.comment(moderator, "A spoiler dropped.", passage=chapter3)
    for thread in (kept, dropped):
        RaiseMark.objects.create(thread=thread, user=moderator)
    edit_agenda(meeting, organizer, dropped.pk, "drop")
    client.force_login(member)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "1 thread on a chapter you haven’t read" in page
    edit_agenda(meeting, organizer, kept.pk, "drop")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "on a chapter you haven’t read" not in page


def test_organizers_reorder_pin_and_drop_items(
    client, margin, meeting, member, moderator, organizer
):
    first = margin.comment(member, "Item A.")
    second = margin.comment(member, "Item B.")
    third = margin.comment(member, "Item C.")
    for thread, people in ((first, 3), (second, 2), (third, 1)):
        for person in [member, moderator, organizer][:people]:
            RaiseMark.objects.create(thread=thread, user=person)
    client.force_login(organizer)
    assert client.post(edit_url(meeting, third), {"action": "up"}).status_code == 302
    agenda = agenda_of(client, meeting)
    assert agenda.index("Item A.") < agenda.index("Item C.") < agenda.index("Item B.")
    client.post(edit_url(meeting, third), {"action": "pin"})
    agenda = agenda_of(client, meeting)
    assert agenda.index("Item C.") < agenda.index("Item A.")
    assert "Pinned" in agenda
    client.post(edit_url(meeting, first), {"action": "drop"})
    # The order is saved: a new mark does not undo it.
    RaiseMark.objects.create(thread=second, user=organizer)
    client.force_login(member)
    member_page = agenda_of(client, meeting)
    assert "Item A." not in member_page
    assert member_page.index("Item C.") < member_page.index("Item B.")
    client.force_login(organizer)
    organizer_page = agenda_of(client, meeting)
    assert "Dropped (1), seen by organizers only" in organizer_page
    assert "Item A." in organizer_page
    client.post(edit_url(meeting, first), {"action": "restore"})
    assert "Item A." in agenda_of(client, meeting)


def test_marking_discussed_shows_on_the_thread(client, margin, meeting, member, organizer):
    thread = margin.comment(member, "We did talk about it.")
    RaiseMark.objects.create(thread=thread, user=member)
    client.force_login(organizer)
    response = client.post(
        edit_url(meeting, thread), {"action": "discussed"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="agenda"')
    assert "Discussed" in body
    assert AgendaItem.objects.get(meeting=meeting, thread=thread).discussed_at is not None
    client.force_login(member)
    passage = client.get(margin.passage_url()).content.decode()
    notes = reverse("circles:meeting", args=[margin.circle.slug, meeting.pk]) + "#notes"
    assert f'<a href="{notes}">Discussed at Session 3</a>' in passage


def test_an_unknown_action_is_refused_and_changes_nothing(client, margin, meeting, organizer):
    thread = margin.comment(organizer, "Something.")
    RaiseMark.objects.create(thread=thread, user=organizer)
    client.force_login(organizer)
    response = client.post(
        edit_url(meeting, thread), {"action": "explode"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "Choose move up" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_a_thread_not_on_the_agenda_cannot_be_edited(client, margin, meeting, organizer):
    thread = margin.comment(organizer, "Nobody raised it.")
    client.force_login(organizer)
    client.post(edit_url(meeting, thread), {"action": "pin"})
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize(("who", "expected"), [("member", 403), ("outsider", 403)])
def test_only_organizers_edit_the_agenda(client, margin, meeting, member, outsider, who, expected):
    thread = margin.comment(member, "Raised.")
    RaiseMark.objects.create(thread=thread, user=member)
    client.force_login({"member": member, "outsider": outsider}[who])
    assert client.post(edit_url(meeting, thread), {"action": "drop"}).status_code == expected
    assert not AgendaItem.objects.exists()


def test_a_former_member_cannot_mark(client, margin, meeting, member):
    thread = margin.comment(member, "Raised.")
    Membership.objects.filter(circle=margin.circle, user=member).delete()
    client.force_login(member)
    assert client.post(raise_url(margin, thread)).status_code == 403


def test_the_session_page_with_an_agenda_keeps_its_query_budget(
    client, margin, meeting, member, posting_unlimited, django_assert_max_num_queries
):
    for n in range(12):
        thread = margin.comment(member, f"Thread {n}.")
        person = make_user(f"marker{n}@example.org")
        margin.circle.add_member(person)
        RaiseMark.objects.create(thread=thread, user=person)
    client.force_login(member)
    with django_assert_max_num_queries(12):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('<li class="agenda-item') == 12


def test_marks_of_people_who_left_or_were_banned_no_longer_count(
    client, margin, meeting, member, moderator
):
    thread = margin.comment(member, "Raised by a leaver.")
    RaiseMark.objects.create(thread=thread, user=member)
    RaiseMark.objects.create(thread=thread, user=moderator)
    RaiseMark.objects.create(thread=thread, user=margin.banned)
    Membership.objects.filter(circle=margin.circle, user=moderator).delete()
    client.force_login(member)
    assert "1 member raised this" in agenda_of(client, meeting)
    assert "1 member raised this, you too" in client.get(margin.passage_url()).content.decode()


def test_the_notes_form_offers_links_to_the_agenda_threads(
    client, margin, meeting, member, organizer
):
    thread = margin.comment(member, "Worth noting.", start=0, end=5)
    RaiseMark.objects.create(thread=thread, user=member)
    client.force_login(organizer)
    page = client.get(reverse("circles:meeting-notes", args=[margin.circle.slug, meeting.pk]))
    url = thread.get_absolute_url().replace("#c-", "#t-")
    assert f"<code>[“{thread.anchor_exact}”]({url})</code>" in page.content.decode()
    client.post(
        reverse("circles:meeting-notes", args=[margin.circle.slug, meeting.pk]),
        {"notes": f"We began with [“{thread.anchor_exact}”]({url})."},
    )
    meeting.refresh_from_db()
    assert f'<a href="{url}"' in meeting.notes_html
