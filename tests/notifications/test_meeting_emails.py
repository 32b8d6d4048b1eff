"""Session emails: queued after commit, delivered by the worker, to the right people, with a
one-click stop link that works and is honoured."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from circles.models import Meeting
from notifications.emails import stop_token
from notifications.models import EmailKind, EmailPreference, Frequency
from tests.circles.meeting_forms import meeting_form, two_meeting_plan
from tests.factories import make_meeting, make_user


@pytest.fixture
def circle(circle):
    """The shared circle, in Paris."""
    circle.time_zone = "Europe/Paris"
    circle.save(update_fields=["time_zone"])
    return circle


# The worker runs the queued tasks for real, as its own process would: outside any test
# transaction (db_worker drops a connection it finds inside one).
pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_scheduling_emails_members_after_commit_through_the_worker(
    client, circle, organizer, member, outsider, mailoutbox
):
    member.time_zone = "America/New_York"
    member.save()
    client.force_login(organizer)
    client.post(reverse("circles:meeting-create", args=[circle.slug]), meeting_form(circle))
    assert DBTaskResult.objects.count() == 1  # queued once the request's write committed
    assert mailoutbox == []  # not sent in the request
    run_worker()
    assert [message.to for message in mailoutbox] == [[member.email]]  # not the organizer
    message = mailoutbox[0]
    assert message.subject == "[Marginalia] New session in Tuesday Readers: Opening night"
    assert "Tuesday 4 March 2031, 13:30–15:00 (America/New_York)" in message.body
    assert "Walden, Chapter 1 – Chapter 2" in message.body
    assert Meeting.objects.get().get_absolute_url() in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Opening night" in html


def test_nothing_is_queued_when_the_write_fails(
    client, circle, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(
            reverse("circles:meeting-create", args=[circle.slug]),
            meeting_form(circle, first_chapter=0),
        )
    assert callbacks == []


def test_changes_and_cancellations_are_emailed(
    client, circle, organizer, member, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = make_meeting(circle)
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("circles:meeting-edit", args=[circle.slug, meeting.pk]),
            meeting_form(circle, title="Moved"),
        )
        client.post(reverse("circles:meeting-cancel", args=[circle.slug, meeting.pk]))
    run_worker()
    subjects = sorted(message.subject for message in mailoutbox)
    assert subjects == [
        "[Marginalia] Session cancelled in Tuesday Readers: Moved",
        "[Marginalia] Session changed in Tuesday Readers: Moved",
    ]


def test_a_planned_schedule_is_one_email_per_member(
    client, circle, organizer, member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    data = two_meeting_plan(circle)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("circles:meeting-plan", args=[circle.slug]), data)
    run_worker()
    [message] = mailoutbox
    assert message.subject == "[Marginalia] 2 new sessions in Tuesday Readers"
    assert "One" in message.body and "Two" in message.body


def test_only_active_members_who_did_not_opt_out_are_emailed(
    client, circle, organizer, member, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    quiet = make_user("quiet@example.org")
    banned = make_user("banned@example.org")
    circle.add_member(quiet)
    circle.add_member(banned).__class__.objects.filter(user=banned).update(state="banned")
    EmailPreference.set(quiet, EmailKind.MEETING_SCHEDULED, Frequency.NEVER)
    EmailPreference.set(member, EmailKind.MEETING_CANCELLED, Frequency.NEVER)  # other kind
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("circles:meeting-create", args=[circle.slug]), meeting_form(circle))
    run_worker()
    assert [message.to for message in mailoutbox] == [[member.email]]


def test_every_email_carries_a_working_one_click_stop_link(
    client, circle, organizer, member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("circles:meeting-create", args=[circle.slug]), meeting_form(circle))
    run_worker()
    message = mailoutbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert link in message.body
    path = link.split("://", 1)[1].split("/", 1)[1]

    # A mail program's one-click POST: no session, no CSRF token.
    mail_program = Client(enforce_csrf_checks=True)
    assert "Stop these emails?" in mail_program.get("/" + path).content.decode()
    assert not EmailPreference.objects.filter(user=member).exists()
    response = mail_program.post("/" + path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert EmailPreference.objects.get(user=member, kind=EmailKind.MEETING_SCHEDULED).frequency == (
        Frequency.NEVER
    )

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("circles:meeting-create", args=[circle.slug]),
            meeting_form(circle, title="Second"),
        )
    run_worker()
    assert mailoutbox == []  # honoured


def test_a_tampered_stop_link_is_404(client, member):
    token = stop_token(member, EmailKind.MEETING_REMINDER)
    url = reverse("notifications:email-stop", args=[token[:-2] + "xx"])
    assert client.post(url).status_code == 404
    assert not EmailPreference.objects.exists()
