"""Moderators act in the thread panel and on the circle's moderation page; every action is
logged with who did it and why."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from discussions.models import CommentState, Flag, FlagReason, ModerationEvent
from discussions.moderation import flag_comment, hide_comment
from discussions.services import delete_comment
from tests.factories import Margin


def _url(name: str, margin: Margin, comment) -> str:
    return reverse(f"discussions:{name}", args=[margin.circle.slug, comment.pk])


def _moderation(margin: Margin) -> str:
    return reverse("discussions:moderation", args=[margin.circle.slug])


def test_hide_then_restore_in_the_thread_panel_logs_both(client, margin: Margin, member, moderator):
    comment = margin.comment(member, "Rude words")
    client.force_login(moderator)

    hidden = client.post(
        _url("comment-hide", margin, comment), {"reason": "  Name-calling "}, HTTP_HX_REQUEST="true"
    )
    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN and comment.hidden_reason == "Name-calling"
    restored = client.post(_url("comment-restore", margin, comment), HTTP_HX_REQUEST="true")
    comment.refresh_from_db()

    assert comment.state == CommentState.VISIBLE
    for response in (hidden, restored):
        assert response.content.decode().lstrip().startswith('<section id="thread-panel"')
    assert "Comment hidden." in hidden.content.decode()
    assert "Comment restored" in restored.content.decode()
    events = list(
        ModerationEvent.objects.order_by("pk").values_list("action", "actor", "comment", "reason")
    )
    assert events == [
        ("hide", moderator.pk, comment.pk, "Name-calling"),
        ("restore", moderator.pk, comment.pk, ""),
    ]


def test_hiding_needs_a_reason(client, margin: Margin, member, moderator):
    comment = margin.comment(member, "Borderline")
    client.force_login(moderator)

    response = client.post(
        _url("comment-hide", margin, comment), {"reason": " "}, HTTP_HX_REQUEST="true"
    )

    comment.refresh_from_db()
    assert comment.state == CommentState.VISIBLE
    html = response.content.decode()
    assert "Give a reason: it is shown in the log." in html
    assert 'class="comment__hide" open' in html
    assert not ModerationEvent.objects.exists()


def test_without_javascript_actions_go_back_with_a_message(
    client, margin: Margin, member, organizer
):
    comment = margin.comment(member, "Rude words")
    client.force_login(organizer)

    response = client.post(_url("comment-hide", margin, comment), {"reason": "Rude"}, follow=True)
    again = client.post(_url("comment-hide", margin, comment), {"reason": "Rude"}, follow=True)

    assert response.redirect_chain[0][0] == comment.get_absolute_url()
    assert "Comment hidden." in response.content.decode()
    assert "This comment is already hidden." in again.content.decode()
    assert ModerationEvent.objects.count() == 1


def test_open_flags_show_in_the_panel_and_keep_resolves_them(
    client, margin: Margin, organizer, moderator, readers
):
    comment = margin.comment(organizer, "Contested")
    flag_comment(comment, readers[0], FlagReason.SPAM, "Advert")
    flag_comment(comment, readers[1], FlagReason.SPAM)
    client.force_login(moderator)

    panel = client.get(margin.passage_url()).content.decode()
    response = client.post(
        _url("comment-flags-resolve", margin, comment),
        {"resolution": "kept", "reason": "Fair comment"},
        HTTP_HX_REQUEST="true",
    )

    assert "2 open flags</strong>: Spam (2)" in panel
    assert "Flags resolved: the comment stays." in response.content.decode()
    assert set(Flag.objects.values_list("resolution", "resolved_by")) == {("kept", moderator.pk)}
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.comment) == ("resolve_flag", moderator, comment)
    assert event.reason == "2 flags reviewed: kept. Fair comment"


def test_resolving_as_hidden_hides_the_comment(
    client, margin: Margin, organizer, member, moderator
):
    comment = margin.comment(organizer, "Contested")
    flag_comment(comment, member, FlagReason.ABUSE)
    client.force_login(moderator)

    client.post(_url("comment-flags-resolve", margin, comment), {"resolution": "hidden"})

    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    assert ModerationEvent.objects.get().actor == moderator


def test_the_moderation_page_lists_flags_oldest_first_then_hidden_then_the_log(
    client, margin: Margin, organizer, member, moderator, readers
):
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=2), tick=False):
        older = margin.comment(organizer, "Older flagged")
        flag_comment(older, member, FlagReason.OFF_TOPIC, "Not about the book")
    with time_machine.travel(start - timedelta(days=1), tick=False):
        newer = margin.comment(organizer, "Newer flagged")
        flag_comment(newer, readers[0], FlagReason.SPAM)
        flag_comment(newer, readers[1], FlagReason.SPAM)
    hidden = margin.comment(member, "Hidden one")
    hide_comment(hidden, organizer, "Rude")
    client.force_login(moderator)

    html = client.get(_moderation(margin)).content.decode()

    order = [
        html.index(text) for text in ("Older flagged", "Newer flagged", "Hidden one", "log-heading")
    ]
    assert order == sorted(order)
    assert "Not about the book" in html and "Spam (2)" in html
    assert older.get_absolute_url() in html  # where: a link to the passage
    assert _url("comment-restore", margin, hidden) in html
    assert "Hid a comment" in html and "Rude" in html


def test_the_log_is_newest_first_and_paginated(client, margin: Margin, member, moderator):
    from discussions.moderation import log

    for n in range(30):
        log("hide", circle=margin.circle, actor=moderator, reason=f"reason {n:02}")
    client.force_login(moderator)

    first = client.get(_moderation(margin)).content.decode()
    second = client.get(_moderation(margin), {"page": 2}).content.decode()

    assert first.index("reason 29") < first.index("reason 05")
    assert "reason 04" not in first and "reason 04" in second
    assert "Page 2 of 2" in second


@pytest.mark.usefixtures("posting_unlimited")
def test_the_moderation_page_query_count_does_not_grow(
    client, margin: Margin, organizer, moderator, readers, django_assert_max_num_queries
):
    for n in range(20):
        comment = margin.comment(organizer, f"Flagged {n}")
        flag_comment(comment, readers[n % 3], FlagReason.SPAM, "note")
        hide_comment(margin.comment(organizer, f"Hidden {n}"), moderator, "Rude")
        delete_comment(margin.comment(organizer, f"Deleted {n}"))
    client.force_login(moderator)
    # 11 for the page (the deleted comments one), 1 for the header's notification count.
    with django_assert_max_num_queries(12):
        response = client.get(_moderation(margin))
    assert response.content.decode().count("Flagged 1") >= 10
    assert response.content.decode().count('<li class="moderation-item card" id="deleted-') == 20


def test_moderators_find_the_page_from_the_circle_and_members_pages(
    client, margin: Margin, organizer, member, moderator
):
    flag_comment(margin.comment(organizer, "x"), member, FlagReason.SPAM)
    link = "Moderation (1 open flag)"

    client.force_login(moderator)
    assert link in client.get(margin.circle.get_absolute_url()).content.decode()
    client.force_login(organizer)
    assert link in client.get(margin.circle.get_absolute_url()).content.decode()
    members = reverse("circles:members", args=[margin.circle.slug])
    assert link in client.get(members).content.decode()
    client.force_login(member)
    assert "Moderation (" not in client.get(margin.circle.get_absolute_url()).content.decode()


@pytest.mark.usefixtures("posting_unlimited")
def test_the_moderators_thread_panel_costs_one_query_more_however_many_flags(
    client, margin: Margin, organizer, moderator, readers, django_assert_max_num_queries
):
    for n in range(40):
        comment = margin.comment(organizer, f"Flagged {n}")
        flag_comment(comment, readers[n % 3], FlagReason.SPAM)
        flag_comment(comment, readers[(n + 1) % 3], FlagReason.ABUSE)
    client.force_login(moderator)
    with django_assert_max_num_queries(9):  # the members' budget (8) and the open flags
        response = client.get(margin.passage_url(), HTTP_HX_REQUEST="true")
    # Threads come 20 to a page (discussions.thread_pages); the next page holds the rest.
    assert response.content.decode().count("2 open flags</strong>") == 20
    with django_assert_max_num_queries(9):
        response = client.get(margin.passage_url() + "?page=2", HTTP_HX_REQUEST="true")
    assert response.content.decode().count("2 open flags</strong>") == 20
