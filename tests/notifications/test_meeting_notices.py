"""Sessions scheduled, changed or cancelled notify every active member but the organizer who
did it, in the app (one notice per session) and by one email per person."""

from __future__ import annotations

import pytest
from django.urls import reverse

from circles.models import Membership, MembershipState
from notifications.models import Notification
from tests.circles.meeting_forms import meeting_form, two_meeting_plan
from tests.factories import make_meeting, make_user
from tests.notifications.conftest import received

# Notifications are made once a write commits: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)


def test_scheduling_changing_and_cancelling_notify_members(client, circle, organizer, member):
    banned = make_user()
    Membership.objects.create(circle=circle, user=banned, state=MembershipState.BANNED)
    client.force_login(organizer)
    client.post(reverse("circles:meeting-create", args=[circle.slug]), meeting_form(circle))
    meeting = circle.meetings.get()
    client.post(
        reverse("circles:meeting-edit", args=[circle.slug, meeting.pk]),
        meeting_form(circle, title="Moved"),
    )
    client.post(reverse("circles:meeting-cancel", args=[circle.slug, meeting.pk]))
    assert received(member) == ["meeting_scheduled", "meeting_changed", "meeting_cancelled"]
    assert received(organizer) == []
    assert received(banned) == []
    notice = Notification.objects.filter(recipient=member).latest("pk")
    assert notice.meeting == meeting
    assert notice.headline == "Olive cancelled a session: Moved"
    assert notice.target_url == meeting.get_absolute_url()


def test_a_planned_schedule_is_one_notice_for_all_its_sessions(client, circle, organizer, member):
    client.force_login(organizer)
    data = two_meeting_plan(circle)
    client.post(reverse("circles:meeting-plan", args=[circle.slug]), data)
    [notice] = Notification.objects.filter(recipient=member).for_display()
    assert sorted(notice.schedule.values_list("title", flat=True)) == ["One", "Two"]
    assert notice.headline == "Olive scheduled 2 sessions"
    assert notice.target_url == circle.get_absolute_url() + "#schedule-heading"
    client.force_login(member)
    bell = client.get("/").content.decode()
    assert "Notifications, 1 unread" in bell


def test_cancelling_twice_notifies_once(client, circle, organizer, member):
    meeting = make_meeting(circle)
    client.force_login(organizer)
    client.post(reverse("circles:meeting-cancel", args=[circle.slug, meeting.pk]))
    client.post(reverse("circles:meeting-cancel", args=[circle.slug, meeting.pk]))
    assert received(member) == ["meeting_cancelled"]  # cancelling twice is one change
