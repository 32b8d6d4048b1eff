"""The admin's moderation actions need the "change" permission: staff who may only view
comments or flags are offered no action and cannot run one by posting it; staff who may
change them can."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from circles.models import Membership, MembershipState
from discussions.models import Comment, CommentState, Flag, FlagReason, ModerationEvent
from discussions.moderation import flag_comment, hide_comment
from tests.factories import Margin, make_user

COMMENTS = reverse("admin:discussions_comment_changelist")
FLAGS = reverse("admin:discussions_flag_changelist")

# action: (changelist, confirmation data, the object it acts on)
ACTIONS = {
    "hide_comments": (COMMENTS, {"reason": "Rude"}, "flagged"),
    "restore_comments": (COMMENTS, {}, "hidden"),
    "keep_comments": (COMMENTS, {}, "flagged"),
    "ban_authors": (COMMENTS, {"reason": "Spam"}, "flagged"),
    "keep": (FLAGS, {}, "flag"),
    "hide": (FLAGS, {"reason": "Rude"}, "flag"),
}


def _staff(email: str, *codenames: str):
    person = make_user(email, is_staff=True)
    person.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return person


@pytest.fixture
def viewer(db):
    return _staff("vic.viewer@example.org", "view_comment", "view_flag")


@pytest.fixture
def changer(db):
    return _staff(
        "cy.changer@example.org", "view_comment", "change_comment", "view_flag", "change_flag"
    )


@pytest.fixture
def scene(margin: Margin, member, moderator, readers) -> dict:
    """Mina's flagged comment, and Mina's comment a moderator hid."""
    flagged = margin.comment(member, "Buy my book")
    flag_comment(flagged, readers[0], FlagReason.SPAM)
    hidden = margin.comment(member, "Something rude")
    hide_comment(hidden, moderator, "Rude")
    return {"flagged": flagged, "hidden": hidden, "flag": Flag.objects.get(comment=flagged)}


def _state(margin: Margin, member) -> tuple:
    return (
        ModerationEvent.objects.count(),
        list(Comment.objects.order_by("pk").values_list("state", "hidden_reason")),
        list(Flag.objects.values_list("resolution", flat=True)),
        Membership.objects.get(circle=margin.circle, user=member).state,
    )


def _run(client, action: str, scene: dict):
    changelist, confirm, target = ACTIONS[action]
    data = {"action": action, "_selected_action": [scene[target].pk]}
    if confirm:
        data |= {"apply": "yes", **confirm}
    return client.post(changelist, data, follow=True)


@pytest.mark.parametrize("changelist", [COMMENTS, FLAGS], ids=["comments", "flags"])
def test_view_only_staff_are_offered_no_action(client, viewer, scene, changelist):
    client.force_login(viewer)
    response = client.get(changelist)
    assert response.status_code == 200
    assert "Buy my book" in response.content.decode()
    assert 'name="action"' not in response.content.decode()


@pytest.mark.parametrize("action", list(ACTIONS))
def test_view_only_staff_cannot_post_an_action(
    client, viewer, scene, action, margin: Margin, member
):
    before = _state(margin, member)
    client.force_login(viewer)

    response = _run(client, action, scene)

    assert response.status_code in (200, 403)
    assert _state(margin, member) == before


@pytest.mark.parametrize("action", list(ACTIONS))
def test_staff_who_may_change_run_each_action(
    client, changer, scene, action, margin: Margin, member
):
    events = ModerationEvent.objects.count()
    client.force_login(changer)

    _run(client, action, scene)

    assert ModerationEvent.objects.count() == events + 1
    assert ModerationEvent.objects.first().actor == changer
    if action == "restore_comments":
        scene["hidden"].refresh_from_db()
        assert scene["hidden"].state == CommentState.VISIBLE
    if action == "ban_authors":
        membership = Membership.objects.get(circle=margin.circle, user=member)
        assert membership.state == MembershipState.BANNED
