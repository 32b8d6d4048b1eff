"""History that says who: every change to a comment records who made it, in what role and
why; its author and the moderators read it; staff correct a comment in the admin with a reason;
deletions say by whom and when; bulk writes of a comment's text or state are refused."""

from __future__ import annotations

import pytest
import time_machine
from django.db.models import F
from django.urls import reverse

from discussions.models import (
    Comment,
    CommentRevision,
    CommentState,
    FlagReason,
    ModerationEvent,
    UnrecordedChange,
)
from discussions.moderation import flag_comment, hide_comment, restore_comment
from discussions.services import delete_comment, edit_comment, post_comment

pytestmark = pytest.mark.django_db


def history_url(margin, comment) -> str:
    return reverse("discussions:comment-history", args=[margin.circle.slug, comment.pk])


def changes(comment) -> list[tuple]:
    return list(
        CommentRevision.objects.filter(comment=comment)
        .order_by("created_at", "pk")
        .values_list("kind", "changed_by", "role", "reason", "body")
    )


# --- who made each change --------------------------------------------------------------------


def test_an_edit_by_its_author_records_the_author(margin, member):
    comment = margin.comment(member, "First words")
    edit_comment(comment, "Second words")
    assert changes(comment) == [("edit", member.pk, "author", "", "First words")]


def test_hiding_and_restoring_record_the_moderator_and_why(margin, member, moderator):
    comment = margin.comment(member, "Sharp words")
    hide_comment(comment, moderator, "Too sharp")
    restore_comment(comment, moderator, "On reflection, fine")
    assert changes(comment) == [
        ("hide", moderator.pk, "moderator", "Too sharp", "Sharp words"),
        ("restore", moderator.pk, "moderator", "On reflection, fine", "Sharp words"),
    ]
    hidden_before, visible_before = CommentRevision.objects.filter(comment=comment).order_by("pk")
    assert (hidden_before.state, visible_before.state) == ("visible", "hidden")


def test_a_hide_after_flags_is_recorded_as_the_systems(margin, member, readers):
    margin.circle.flag_threshold = 2
    margin.circle.save(update_fields=["flag_threshold"])
    comment = margin.comment(member, "Spam spam")
    flag_comment(comment, readers[0], FlagReason.SPAM)
    flag_comment(comment, readers[1], FlagReason.SPAM)
    [revision] = CommentRevision.objects.filter(comment=comment)
    assert (revision.kind, revision.changed_by, revision.role) == ("hide", None, "system")
    assert revision.summary == "Hidden by the system"
    assert "2 flags" in revision.reason


def test_a_deletion_records_who_and_when(margin, member):
    comment = margin.comment(member, "Taken back")
    with time_machine.travel("2026-12-06 12:31:00+00:00", tick=False):
        delete_comment(comment)
    comment.refresh_from_db()
    assert comment.state == CommentState.DELETED and comment.body == ""
    assert comment.deleted_by == member
    assert comment.deleted_at.isoformat() == "2026-12-06T12:31:00+00:00"
    assert changes(comment) == [("delete", member.pk, "author", "", "Taken back")]


# --- staff correct a comment in the admin ----------------------------------------------------


def _change_form_post(client, comment, **fields) -> dict:
    """What the admin's change form posts: its own fields and its inlines' management forms."""
    url = reverse("admin:discussions_comment_change", args=[comment.pk])
    page = client.get(url)
    data = {"body": comment.body, "correction_reason": ""}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for form in formset.forms:
            for name in form.fields:
                value = form[name].value()
                if value is not None:
                    data[form.add_prefix(name)] = value
    data.update(fields)
    return data


def test_staff_correct_a_comment_with_a_reason_and_it_is_recorded_and_logged(
    client, staff, margin, member
):
    comment = margin.comment(member, "Teh whale")
    client.force_login(staff)
    url = reverse("admin:discussions_comment_change", args=[comment.pk])

    response = client.post(
        url, _change_form_post(client, comment, body="The whale", correction_reason="A typo")
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "The whale" and comment.edited_at is not None
    assert changes(comment) == [("edit", staff.pk, "staff", "A typo", "Teh whale")]
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.comment, event.reason) == (
        "staff_edit",
        staff,
        comment,
        "A typo",
    )


def test_a_correction_without_a_reason_is_refused_and_nothing_changes(
    client, staff, margin, member
):
    comment = margin.comment(member, "Teh whale")
    client.force_login(staff)
    url = reverse("admin:discussions_comment_change", args=[comment.pk])

    response = client.post(url, _change_form_post(client, comment, body="The whale"))

    assert response.status_code == 200
    assert "Say why you changed the text" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Teh whale"
    assert not CommentRevision.objects.exists() and not ModerationEvent.objects.exists()


def test_a_deleted_comment_cannot_be_corrected(client, staff, margin, member):
    comment = margin.comment(member, "Gone")
    delete_comment(comment)
    client.force_login(staff)
    page = client.get(reverse("admin:discussions_comment_change", args=[comment.pk]))
    assert 'name="body"' not in page.content.decode()
    assert 'name="correction_reason"' not in page.content.decode()


def test_its_author_reads_the_staff_correction_and_why(client, staff, margin, member):
    comment = margin.comment(member, "Teh whale")
    client.force_login(staff)
    client.post(
        reverse("admin:discussions_comment_change", args=[comment.pk]),
        _change_form_post(client, comment, body="The whale", correction_reason="A typo"),
    )
    client.force_login(member)
    panel = client.get(margin.passage_url()).content.decode()
    assert "corrected by site staff" in panel  # every reader sees who changed it
    page = client.get(history_url(margin, comment)).content.decode()
    assert "Edited by site staff (Sam)" in page
    assert "Why: A typo" in page
    assert "Teh whale" in page and "The whale" in page


# --- who reads a comment's history -----------------------------------------------------------


def test_its_author_sees_a_history_link_and_their_own_history(client, margin, member):
    comment = margin.comment(member, "First words")
    edit_comment(comment, "Second words")
    client.force_login(member)
    panel = client.get(margin.passage_url()).content.decode()
    assert history_url(margin, comment) in panel
    assert '<span class="comment__edited">edited</span>' in panel
    page = client.get(history_url(margin, comment)).content.decode()
    assert "Edited by its author" in page and "First words" in page


@pytest.mark.parametrize(
    "person,expected", [("anonymous", 302), ("other member", 403), ("moderator", 200)]
)
def test_others_history_is_for_moderators(
    client, margin, member, moderator, readers, person, expected
):
    comment = margin.comment(member, "First words")
    edit_comment(comment, "Second words")
    if person != "anonymous":
        client.force_login(moderator if person == "moderator" else readers[0])
    assert client.get(history_url(margin, comment)).status_code == expected


def test_the_history_of_a_private_note_is_404_to_others(client, margin, member, moderator):
    note = margin.comment(member, "Mine alone", is_private=True)
    edit_comment(note, "Still mine")
    client.force_login(moderator)
    assert client.get(history_url(margin, note)).status_code == 404


def test_moderators_see_a_deleted_reply_in_place_with_who_and_when(
    client, margin, member, moderator, readers
):
    root = margin.comment(readers[0], "A thread")
    reply = post_comment(
        circle=margin.circle, passage=None, author=member, body="Second thoughts", parent=root
    ).comment
    with time_machine.travel("2026-12-06 12:31:00+00:00", tick=False):
        delete_comment(reply)

    client.force_login(readers[1])
    html = client.get(margin.passage_url()).content.decode()
    assert f'id="c-{reply.pk}"' not in html  # gone for readers: nothing hung below it

    client.force_login(moderator)
    html = client.get(margin.passage_url()).content.decode()
    assert f'id="c-{reply.pk}"' in html
    assert "Deleted by its author," in html and "12:31" in html
    assert history_url(margin, reply) in html
    page = client.get(history_url(margin, reply)).content.decode()
    assert "Deleted by its author" in page and "Second thoughts" in page


def test_moderators_see_a_deleted_thread_nobody_answered_in_the_passage_panel(
    client, margin, member, moderator, readers
):
    text = margin.passage.text
    word = text.split()[1]
    start = text.index(word)
    thread = margin.comment(member, "Never mind", start=start, end=start + len(word))
    margin.comment(readers[0], "Still here")
    with time_machine.travel("2026-12-06 12:31:00+00:00", tick=False):
        delete_comment(thread)

    client.force_login(readers[1])
    html = client.get(margin.passage_url()).content.decode()
    assert f'id="c-{thread.pk}"' not in html and "Still here" in html

    client.force_login(moderator)
    html = client.get(margin.passage_url()).content.decode()
    assert f'id="c-{thread.pk}"' in html
    assert "Deleted by its author, 12:31" in html
    assert "Never mind" not in html  # its words only in its history
    assert history_url(margin, thread) in html
    page = client.get(history_url(margin, thread)).content.decode()
    assert "Deleted by its author" in page and "Never mind" in page
    # No highlight in the text for it, for anyone: the chapter's highlights are shared.
    assert "<mark" not in html and "data-threads" not in html


def test_the_moderation_page_lists_deleted_comments_with_who_when_and_history(
    client, margin, member, moderator, readers
):
    with time_machine.travel("2026-11-06 12:31:00+00:00", tick=False):
        thread = margin.comment(member, "Never mind")
        delete_comment(thread)
        note = margin.comment(member, "My own note", is_private=True)
        delete_comment(note)
    moderation = reverse("discussions:moderation", args=[margin.circle.slug])

    client.force_login(readers[0])
    assert client.get(moderation).status_code == 403

    client.force_login(moderator)
    html = client.get(moderation).content.decode()
    section = html[html.index('id="deleted-heading"') : html.index('id="banned-heading"')]
    assert "Mina" in section and "a thread, unanswered" in section
    assert "Deleted by its author, 6 Nov 2026, 12:31" in section
    assert history_url(margin, thread) in section
    assert history_url(margin, note) not in section  # others' private notes stay theirs
    assert "Never mind" not in section  # its words only in its history
    # Its link leads to the passage, where the moderator sees it in place.
    panel = client.get(thread.get_absolute_url()).content.decode()
    assert f'id="c-{thread.pk}"' in panel


def test_moderators_reach_a_deleted_unanswered_thread_whose_passage_is_gone(
    client, margin, member, moderator, readers
):
    from tests.discussions.test_thread_page import drop_passage

    thread = margin.comment(member, "Never mind", start=0, end=5)
    delete_comment(thread)
    drop_passage(margin)
    thread.refresh_from_db()
    moderation = reverse("discussions:moderation", args=[margin.circle.slug])

    client.force_login(moderator)
    html = client.get(moderation).content.decode()
    assert thread.get_absolute_url() in html
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Deleted by its author" in page and history_url(margin, thread) in page


# --- bulk writes -----------------------------------------------------------------------------


@pytest.mark.parametrize("change", [{"body": "x"}, {"body_html": "<p>x</p>"}, {"state": "hidden"}])
def test_a_bulk_update_of_text_or_state_is_refused(margin, member, change):
    comment = margin.comment(member, "Kept")
    with pytest.raises(UnrecordedChange):
        Comment.objects.filter(pk=comment.pk).update(**change)
    comment.refresh_from_db()
    assert comment.body == "Kept" and comment.state == CommentState.VISIBLE


def test_a_bulk_update_via_bulk_update_of_the_text_is_refused(margin, member):
    comment = margin.comment(member, "Kept")
    comment.body = "Changed"
    with pytest.raises(UnrecordedChange):
        Comment.objects.bulk_update([comment], ["body"])
    comment.refresh_from_db()
    assert comment.body == "Kept"


def test_an_upsert_that_rewrites_the_text_is_refused(margin, member):
    comment = margin.comment(member, "Kept")
    comment.body = "Rewritten"
    with pytest.raises(UnrecordedChange):
        Comment.objects.bulk_create(
            [comment], update_conflicts=True, unique_fields=["pk"], update_fields=["body"]
        )
    assert Comment.objects.get(pk=comment.pk).body == "Kept"


def test_saving_a_changed_text_without_a_record_is_refused(margin, member):
    comment = margin.comment(member, "Kept")
    comment = Comment.objects.get(pk=comment.pk)
    comment.body = "Quietly changed"
    with pytest.raises(UnrecordedChange):
        comment.save()
    comment.refresh_from_db()
    assert comment.body == "Kept"
    comment.anchor_score = 0.5  # other fields save as ever
    comment.save(update_fields=["anchor_score"])


def test_bulk_updates_of_anchors_and_counts_stay_allowed(margin, member):
    comment = margin.comment(member, "Kept", start=0, end=5)
    Comment.objects.filter(pk=comment.pk).update(
        anchor_status="drifted", anchor_score=0.8, reply_count=F("reply_count") + 1
    )
    comment.refresh_from_db()
    assert (comment.anchor_status, comment.reply_count) == ("drifted", 1)
    assert not CommentRevision.objects.exists()


# --- revisions made before revisions said who -------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_earlier_revisions_and_deletions_their_author(margin, member):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    edited = margin.comment(member, "First words")
    edit_comment(edited, "Second words")
    deleted = margin.comment(member, "Taken back")
    delete_comment(deleted)
    when = CommentRevision.objects.get(comment=deleted).created_at
    before = [("discussions", "0003_raise_marks_and_agenda_items")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)  # the history columns are gone: what earlier rows had

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert changes(edited) == [("edit", member.pk, "author", "", "First words")]
    assert changes(deleted) == [("delete", member.pk, "author", "", "Taken back")]
    edited.refresh_from_db()
    assert edited.edited_by == member
    deleted.refresh_from_db()
    assert (deleted.deleted_by, deleted.deleted_at) == (member, when)
