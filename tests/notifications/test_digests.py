"""The daily digest (`manage.py send_digests`): nothing is mailed before it runs, then one
email per person with everything waiting, grouped by circle, each notification once however
often it runs; people who left a private circle get nothing from it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from discussions.moderation import hide_comment
from discussions.services import reply
from notifications.models import EmailKind, EmailPreference, EmailState, Frequency, Notification
from tests.factories import Margin, make_circle
from tests.notifications.conftest import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def digest(*args: str) -> str:
    out = StringIO()
    call_command("send_digests", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def on_digest(member):
    for kind in (EmailKind.REPLY, EmailKind.MENTION, EmailKind.THREAD):
        EmailPreference.set(member, kind, Frequency.DIGEST)
    return member


def test_digest_notifications_wait_for_the_digest(margin, on_digest, member, moderator, mailoutbox):
    root = margin.comment(member, "Start.")
    reply(root, author=moderator, body="A reply for the digest.")
    margin.comment(moderator, "And @Mina, a mention.")
    run_worker()
    assert mailoutbox == []
    assert "Sent a digest to mina.member@example.org: 2 notifications" in digest()
    [message] = mailoutbox
    assert message.to == [member.email]
    assert message.subject == "[Marginalia] Your daily digest: 2 notifications"
    assert "== Public Readers ==" in message.body
    assert "Max replied to your comment" in message.body
    assert "A reply for the digest." in message.body
    assert "Max mentioned you" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_running_it_twice_mails_each_notification_once(
    margin, on_digest, member, moderator, mailoutbox
):
    root = margin.comment(member)
    reply(root, author=moderator, body="Hello.")
    digest()
    assert "Sent a digest to 0 people." in digest()
    reply(root, author=moderator, body="Again.")
    digest()
    assert len(mailoutbox) == 2
    assert "Hello." not in mailoutbox[1].body and "Again." in mailoutbox[1].body


def test_a_dry_run_sends_nothing(margin, on_digest, member, moderator, mailoutbox):
    root = margin.comment(member)
    reply(root, author=moderator, body="Hello.")
    assert "Would send a digest to mina.member@example.org: 1 notification" in digest("--dry-run")
    assert mailoutbox == []
    assert Notification.objects.get().email == EmailState.DIGEST


def test_the_digest_groups_circles(margin, on_digest, member, moderator, organizer, mailoutbox):
    other = make_circle(organizer, name="Another Circle", readings=[margin.reading])
    other.add_member(member)
    other.add_member(moderator)
    root = margin.comment(member)
    reply(root, author=moderator, body="Here.")
    elsewhere = Margin(other, margin.reading, margin.chapter, margin.passage, None)
    elsewhere.comment(moderator, "There, @Mina, look.")
    digest()
    [message] = mailoutbox
    body = message.body
    assert body.index("== Another Circle ==") < body.index("== Public Readers ==")


def test_a_member_who_left_a_private_circle_gets_nothing_from_it(
    private_margin, on_digest, member, moderator, mailoutbox
):
    root = private_margin.comment(member)
    reply(root, author=moderator, body="Private words.")
    private_margin.circle.leave(member)
    digest()
    assert mailoutbox == []
    assert Notification.objects.get(recipient=member).email == EmailState.NONE


def test_a_hidden_comment_is_not_quoted_in_the_digest(
    margin, on_digest, member, moderator, organizer, mailoutbox
):
    root = margin.comment(member)
    answer = reply(root, author=moderator, body="Rude words here.").comment
    hide_comment(answer, organizer, "Abusive")
    digest()
    [message] = mailoutbox
    assert "Rude" not in message.body and "Rude" not in message.alternatives[0][0]
    assert "hidden by a moderator" in message.body


def test_choosing_never_later_drops_what_waits(margin, on_digest, member, moderator, mailoutbox):
    root = margin.comment(member)
    reply(root, author=moderator, body="Hello.")
    EmailPreference.set(member, EmailKind.REPLY, Frequency.NEVER)
    digest()
    assert mailoutbox == []


def test_the_digest_stop_link_stops_every_digest_kind(
    client, margin, on_digest, member, moderator, mailoutbox
):
    root = margin.comment(member)
    reply(root, author=moderator, body="Hello.")
    digest()
    link = mailoutbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert "your daily digest is ready" in client.get(path).content.decode()
    client.post(path)
    frequencies = set(
        EmailPreference.objects.filter(user=member).values_list("frequency", flat=True)
    )
    assert frequencies == {Frequency.NEVER}
