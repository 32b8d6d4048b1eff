"""A member flags a comment from the thread panel (htmx) or its own page (no JavaScript)."""

from __future__ import annotations

from django.urls import reverse

from discussions.models import CommentState, Flag, FlagReason, ModerationEvent
from discussions.moderation import flag_comment
from tests.factories import Margin


def _flag_url(margin: Margin, comment) -> str:
    return reverse("discussions:comment-flag", args=[margin.circle.slug, comment.pk])


def test_the_thread_panel_offers_flag_to_members_and_says_when_they_did(
    client, margin: Margin, organizer, member
):
    comment = margin.comment(organizer, "A claim")
    client.force_login(member)

    before = client.get(margin.passage_url()).content.decode()
    flag_comment(comment, member, FlagReason.SPAM)
    after = client.get(margin.passage_url()).content.decode()

    assert _flag_url(margin, comment) in before
    assert _flag_url(margin, comment) not in after
    assert "You flagged this" in after


def test_nobody_is_offered_to_flag_their_own_comment(client, margin: Margin, member):
    comment = margin.comment(member, "Mine")
    client.force_login(member)
    assert _flag_url(margin, comment) not in client.get(margin.passage_url()).content.decode()


def test_the_no_js_page_flags_once_with_a_reason_and_a_note(
    client, margin: Margin, organizer, member
):
    comment = margin.comment(organizer, "A claim")
    client.force_login(member)

    page = client.get(_flag_url(margin, comment))
    response = client.post(
        _flag_url(margin, comment), {"reason": "off_topic", "note": "  Not about the book "}
    )

    assert page.status_code == 200
    assert "Why are you flagging this comment?" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == comment.get_absolute_url()
    flag = Flag.objects.get()
    assert (flag.reporter, flag.reason, flag.note) == (member, "off_topic", "Not about the book")
    shown = client.get(response["Location"]).content.decode()
    assert "You flagged this comment. Thank you" in shown


def test_a_second_flag_is_refused_with_a_clear_message(client, margin: Margin, organizer, member):
    comment = margin.comment(organizer, "A claim")
    flag_comment(comment, member, FlagReason.SPAM)
    client.force_login(member)

    page = client.get(_flag_url(margin, comment)).content.decode()
    response = client.post(_flag_url(margin, comment), {"reason": "abuse"})

    assert "You flagged this comment on" in page
    assert response.status_code == 422
    assert "You have already flagged this comment." in response.content.decode()
    assert Flag.objects.count() == 1


def test_a_flag_without_a_reason_says_what_is_missing(client, margin: Margin, organizer, member):
    comment = margin.comment(organizer, "A claim")
    client.force_login(member)

    response = client.post(_flag_url(margin, comment), {"note": "hm"})

    assert response.status_code == 422
    assert "Choose why you are flagging this comment." in response.content.decode()
    assert not Flag.objects.exists()


def test_htmx_gets_the_thread_panel_with_the_form_then_the_confirmation(
    client, margin: Margin, organizer, member
):
    comment = margin.comment(organizer, "A claim")
    client.force_login(member)

    form = client.get(_flag_url(margin, comment), HTTP_HX_REQUEST="true").content.decode()
    done = client.post(
        _flag_url(margin, comment), {"reason": "spam"}, HTTP_HX_REQUEST="true"
    ).content.decode()

    assert form.lstrip().startswith('<section id="thread-panel"')
    assert "<html" not in form
    assert f'id="flag-{comment.pk}"' in form and 'data-focus="flag-' in form
    assert done.lstrip().startswith('<section id="thread-panel"')
    assert "You flagged this comment. Thank you" in done
    assert "You flagged this" in done


def test_the_flag_that_reaches_the_threshold_hides_the_comment(
    client, margin: Margin, organizer, readers
):
    margin.circle.flag_threshold = 3
    margin.circle.save(update_fields=["flag_threshold"])
    comment = margin.comment(organizer, "Hotly disputed")
    for reader in readers[:2]:
        flag_comment(comment, reader, FlagReason.ABUSE)
    comment.refresh_from_db()
    assert comment.state == CommentState.VISIBLE
    client.force_login(readers[2])

    response = client.post(_flag_url(margin, comment), {"reason": "abuse"}, HTTP_HX_REQUEST="true")

    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.comment) == ("auto_hide", None, comment)
    html = response.content.decode()
    assert "Hotly disputed" not in html
    assert "This comment was hidden by a moderator." in html  # kept in place, with the thanks
    assert "You flagged this comment. Thank you" in html


def test_a_threshold_of_zero_never_hides(margin: Margin, organizer, readers):
    margin.circle.flag_threshold = 0
    margin.circle.save(update_fields=["flag_threshold"])
    comment = margin.comment(organizer, "Disputed")
    for reader in readers:
        flag_comment(comment, reader, FlagReason.ABUSE)
    comment.refresh_from_db()
    assert comment.state == CommentState.VISIBLE
