"""The demo opens with a flagged comment for the moderator to clear."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from circles.demo import MAX, PUBLIC
from discussions.models import CommentState, Flag

# Notifications are made once a write commits: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_has_a_comment_with_open_flags_on_the_moderation_page(db, client):
    call_command("demo", "--no-serve")

    flags = Flag.objects.open().select_related("comment")
    assert flags.count() == 2
    comment = flags[0].comment
    assert comment.state == CommentState.VISIBLE
    client.force_login(User.objects.get(email=MAX))
    html = client.get(reverse("discussions:moderation", args=[PUBLIC["slug"]])).content.decode()
    assert comment.body in html.replace("&#x27;", "'")
    assert "Moderation (2 open flags)" in client.get(f"/circles/{PUBLIC['slug']}/").content.decode()
