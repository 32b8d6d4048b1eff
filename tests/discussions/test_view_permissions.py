"""Who may use each flag and moderation view on the site, in a public and a private circle.

One row per person: anonymous people are sent to log in; outsiders (and banned people) of a
private circle get 404, since they may not know it exists; people who can see the circle but
lack the right get 403; the others get the page (200) or are sent on after the action (302).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from discussions.models import CommentState, Flag, FlagReason, ModerationEvent
from discussions.moderation import flag_comment, hide_comment
from tests.factories import make_margin, make_user

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "outsider", "banned", "member", "moderator", "organizer"]

# person → (status in a public circle, status in a private one); "ok" is 200 or 302.
MODERATORS_ONLY = {
    "anonymous": ("login", "login"),
    "outsider": (403, 404),
    "banned": (403, 404),
    "member": (403, 403),
    "moderator": ("ok", "ok"),
    "organizer": ("ok", "ok"),
}
MEMBERS = {**MODERATORS_ONLY, "member": ("ok", "ok")}

VIEWS = {
    # name: (method, url, data, rows)
    "moderation page": ("get", lambda s: _circle_url("moderation", s), {}, MODERATORS_ONLY),
    "ban page": ("get", lambda s: _circle_url("member-ban", s), {}, MODERATORS_ONLY),
    "ban": (
        "post",
        lambda s: _circle_url("member-ban", s),
        lambda s: {"user": s["writer"].pk, "reason": "Spam"},
        MODERATORS_ONLY,
    ),
    "unban": (
        "post",
        lambda s: reverse("discussions:member-unban", args=[s["slug"], s["margin"].banned.pk]),
        {},
        MODERATORS_ONLY,
    ),
    "hide": (
        "post",
        lambda s: _comment_url("comment-hide", s),
        {"reason": "Rude"},
        MODERATORS_ONLY,
    ),
    "restore": (
        "post",
        lambda s: _comment_url("comment-restore", s, s["hidden"]),
        {},
        MODERATORS_ONLY,
    ),
    "resolve flags": (
        "post",
        lambda s: _comment_url("comment-flags-resolve", s),
        {"resolution": "kept"},
        MODERATORS_ONLY,
    ),
    "flag form": ("get", lambda s: _comment_url("comment-flag", s), {}, MEMBERS),
    "flag": ("post", lambda s: _comment_url("comment-flag", s), {"reason": "spam"}, MEMBERS),
}


# What an allowed POST writes, one row of: a moderation event, or for a flag, the flag.
WRITES = {"flag": Flag}


def _circle_url(name: str, scene: dict) -> str:
    return reverse(f"discussions:{name}", args=[scene["slug"]])


def _comment_url(name: str, scene: dict, comment=None) -> str:
    return reverse(f"discussions:{name}", args=[scene["slug"], (comment or scene["comment"]).pk])


def _scene(private: bool, organizer, moderator, member, outsider) -> dict:
    """A circle where Wren wrote a comment someone flagged, and a hidden one."""
    margin = make_margin(organizer, moderator, member, private=private)
    writer = make_user("wren.writer@example.org", display_name="Wren")
    flagger = make_user("fay.flagger@example.org", display_name="Fay")
    margin.circle.add_member(writer)
    margin.circle.add_member(flagger)
    comment = margin.comment(writer, "Buy my book")
    flag_comment(comment, flagger, FlagReason.SPAM)
    hidden = margin.comment(writer, "Something rude")
    hide_comment(hidden, organizer, "Rude")
    people = {
        "anonymous": None,
        "outsider": outsider,
        "banned": margin.banned,
        "member": member,
        "moderator": moderator,
        "organizer": organizer,
    }
    return {
        "margin": margin,
        "slug": margin.circle.slug,
        "writer": writer,
        "comment": comment,
        "hidden": hidden,
        "people": people,
    }


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("view", list(VIEWS))
def test_permission_rows(client, organizer, moderator, member, outsider, view, person, private):
    scene = _scene(private, organizer, moderator, member, outsider)
    method, url, data, rows = VIEWS[view]
    user = scene["people"][person]
    if user is not None:
        client.force_login(user)
    events_before = ModerationEvent.objects.count()
    written = WRITES.get(view, ModerationEvent)
    written_before = written.objects.count()

    url = url(scene)
    data = data(scene) if callable(data) else data
    response = getattr(client, method)(url, data)

    expected = rows[person][private]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif expected == "ok":
        assert response.status_code == (200 if method == "get" else 302)
        if method == "post":  # a refused action is sent on (302) too, but writes nothing
            assert written.objects.count() == written_before + 1
    else:
        assert response.status_code == expected
    if expected != "ok" and method == "post":
        assert ModerationEvent.objects.count() == events_before  # refused: nothing logged


def test_authors_cannot_flag_their_own_comment(client, organizer, moderator, member, outsider):
    scene = _scene(False, organizer, moderator, member, outsider)
    client.force_login(scene["writer"])
    url = _comment_url("comment-flag", scene)
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "spam"}).status_code == 403


def test_hidden_comments_cannot_be_flagged(client, organizer, moderator, member, outsider):
    scene = _scene(False, organizer, moderator, member, outsider)
    client.force_login(member)
    url = _comment_url("comment-flag", scene, scene["hidden"])
    assert client.post(url, {"reason": "spam"}).status_code == 403
    assert scene["hidden"].flags.count() == 0
    assert scene["hidden"].state == CommentState.HIDDEN
