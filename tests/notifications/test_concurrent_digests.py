"""Two digest runs at the same moment (two cron hosts, a run that overlaps the next) still mail
each notification once: each row is claimed by a conditional UPDATE before it is sent."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from discussions.services import reply
from notifications.delivery import send_digests, send_now
from notifications.models import EmailKind, EmailPreference, EmailState, Frequency, Notification


def run_together(target, times: int = 2) -> list[Exception]:
    barrier = threading.Barrier(times)
    errors: list[Exception] = []

    def run() -> None:
        try:
            barrier.wait()
            target()
        except Exception as error:  # noqa: BLE001 - reported by the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_overlapping_digest_runs_mail_once(margin, member, moderator, mailoutbox):
    EmailPreference.set(member, EmailKind.REPLY, Frequency.DIGEST)
    root = margin.comment(member)
    for n in range(3):
        reply(root, author=moderator, body=f"Reply {n}.")
    errors = run_together(send_digests)
    # Both runs finish (SQLite may make one wait and give up; nothing is sent twice).
    assert len(mailoutbox) == 1, errors
    assert all(f"Reply {n}." in mailoutbox[0].body for n in range(3))
    assert set(Notification.objects.values_list("email", flat=True)) == {EmailState.SENT}


@pytest.mark.django_db(transaction=True)
def test_overlapping_workers_mail_once(margin, member, moderator, mailoutbox):
    root = margin.comment(member)
    reply(root, author=moderator, body="Only once.")
    ids = list(Notification.objects.values_list("pk", flat=True))
    errors = run_together(lambda: send_now(ids))
    assert len(mailoutbox) == 1, errors
