"""Hiding a comment closes its open flags as reviewed ("hidden"), as restoring closes them as
"kept": a comment hidden from the Comments admin or the thread panel leaves the flag queues."""

from __future__ import annotations

from django.urls import reverse

from discussions import review
from discussions.models import CommentState, Flag, FlagReason, FlagResolution
from discussions.moderation import flag_comment, hide_comment
from tests.factories import Margin


def test_hiding_resolves_its_open_flags_as_hidden(margin: Margin, organizer, member, moderator):
    comment = margin.comment(organizer, "Buy my book")
    flag_comment(comment, member, FlagReason.SPAM)
    assert [item.comment for item in review.open_flag_queue(margin.circle)] == [comment]

    hide_comment(comment, moderator, "Advertising")

    flag = Flag.objects.get()
    assert (flag.resolution, flag.resolved_by) == (FlagResolution.HIDDEN, moderator)
    assert flag.resolved_at is not None
    assert review.open_flag_queue(margin.circle) == []
    assert review.open_flag_count(margin.circle) == 0


def test_a_comment_hidden_from_the_comments_admin_leaves_the_flag_queue(
    client, staff, margin: Margin, organizer, member
):
    comment = margin.comment(organizer, "Buy my book")
    flag_comment(comment, member, FlagReason.SPAM)
    client.force_login(staff)

    client.post(
        reverse("admin:discussions_comment_changelist"),
        {
            "action": "hide_comments",
            "_selected_action": [comment.pk],
            "apply": "yes",
            "reason": "Advertising",
        },
    )

    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    queue = client.get(reverse("admin:discussions_flag_changelist"), {"resolution__exact": "open"})
    assert list(queue.context["cl"].result_list) == []
    assert review.open_flag_queue(margin.circle) == []  # the circle's moderation page


def test_flags_already_reviewed_keep_their_resolution(
    margin: Margin, organizer, member, moderator, staff
):
    from discussions.moderation import resolve_flags

    comment = margin.comment(organizer, "Contested")
    flag_comment(comment, member, FlagReason.OFF_TOPIC)
    resolve_flags(comment, staff, FlagResolution.KEPT)

    hide_comment(comment, moderator, "On second thought, off topic")

    flag = Flag.objects.get()
    assert (flag.resolution, flag.resolved_by) == (FlagResolution.KEPT, staff)
