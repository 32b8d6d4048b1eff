"""Notification emails right away: queued on commit, sent once by the real worker, with a
working one-click stop link; "never" mails nothing (the app still tells); a comment hidden
before the email leaves is mailed without its words."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from discussions.moderation import hide_comment
from discussions.services import reply
from notifications.delivery import send_now
from notifications.models import EmailKind, EmailPreference, EmailState, Frequency, Notification
from tests.notifications.conftest import run_worker

# The worker runs outside any test transaction, as its own process would.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reply_is_emailed_after_commit_through_the_worker(margin, member, moderator, mailoutbox):
    root = margin.comment(member, "Is this the thesis?")
    answer = reply(root, author=moderator, body="No: the *premise*.").comment
    assert DBTaskResult.objects.count() == 1
    assert mailoutbox == []
    run_worker()
    [message] = mailoutbox
    assert message.to == [member.email]
    assert message.subject == "[Marginalia] Public Readers: Max replied to your comment"
    assert "No: the premise." in message.body  # the words, without the Markdown
    assert f"{answer.get_absolute_url()}" in message.body
    assert f"#c-{answer.pk}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "No: the premise." in html
    assert Notification.objects.get(recipient=member).email == EmailState.SENT


def test_the_stop_link_works_and_is_honoured(margin, member, moderator, mailoutbox):
    root = margin.comment(member)
    reply(root, author=moderator, body="First.")
    run_worker()
    message = mailoutbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert link in message.body
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    mail_program = Client(enforce_csrf_checks=True)
    page = mail_program.get(path).content.decode()
    assert "Stop these emails?" in page
    assert "someone replies to my comment" in page
    assert "/notifications/settings/" in page  # the way to choose more finely
    assert mail_program.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    preference = EmailPreference.objects.get(user=member)
    assert (preference.kind, preference.frequency) == (EmailKind.REPLY, Frequency.NEVER)

    mailoutbox.clear()
    reply(root, author=moderator, body="Second.")
    run_worker()
    assert mailoutbox == []
    assert Notification.objects.filter(recipient=member).count() == 2  # still told in the app


def test_never_mails_nothing_but_the_app_still_tells(margin, member, organizer, mailoutbox):
    EmailPreference.set(member, EmailKind.MENTION, Frequency.NEVER)
    margin.comment(organizer, "@Mina, look.")
    run_worker()
    assert mailoutbox == []
    notice = Notification.objects.get(recipient=member)
    assert (notice.kind, notice.email, notice.read_at) == ("mention", EmailState.NONE, None)
    assert DBTaskResult.objects.count() == 0  # nothing even queued


def test_a_comment_hidden_before_sending_is_mailed_without_its_words(
    margin, member, moderator, mailoutbox
):
    root = margin.comment(member)
    answer = reply(root, author=moderator, body="Something nasty and secret.").comment
    hide_comment(answer, margin.circle.created_by, "Abusive")
    run_worker()
    [message] = [m for m in mailoutbox if m.to == [member.email]]
    assert "nasty" not in message.body
    assert "nasty" not in message.alternatives[0][0]
    assert "hidden by a moderator" in message.body


def test_the_hidden_notice_gives_the_reason_not_the_words(margin, member, moderator, mailoutbox):
    comment = margin.comment(member, "My secret words.")
    hide_comment(comment, moderator, "Off topic")
    run_worker()
    [message] = mailoutbox
    assert message.subject == "[Marginalia] Public Readers: A moderator hid your comment"
    assert "Reason given: Off topic" in message.body
    assert "secret" not in message.body
    assert "To stop emails when “a moderator hides my comment”" in message.body


def test_someone_who_left_before_the_worker_ran_gets_no_email(
    private_margin, member, moderator, mailoutbox
):
    root = private_margin.comment(member)
    reply(root, author=moderator, body="Private words.")
    private_margin.circle.leave(member)
    run_worker()
    assert mailoutbox == []
    assert Notification.objects.get(recipient=member).email == EmailState.NONE


def test_each_notification_is_mailed_once_even_if_sent_twice(margin, member, moderator, mailoutbox):
    root = margin.comment(member)
    reply(root, author=moderator, body="Once only.")
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert send_now(ids) == 1
    assert send_now(ids) == 0
    run_worker()  # the queued task finds it already sent
    assert len(mailoutbox) == 1


def test_a_right_away_email_that_did_not_go_out_is_retried_by_send_digests(
    margin, member, moderator, mailoutbox
):
    root = margin.comment(member, "Is this the thesis?")
    reply(root, author=moderator, body="No: the premise.")
    # Its task never ran (the worker or the mail server was down).
    call_command("send_digests", stdout=io.StringIO())
    assert mailoutbox == []  # too early to call it failed: the worker may still be at it

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        call_command("send_digests", stdout=io.StringIO())
        call_command("send_digests", stdout=io.StringIO())
    [message] = mailoutbox
    assert message.to == [member.email] and "No: the premise." in message.body
    assert Notification.objects.get(recipient=member).email == EmailState.SENT
