"""The list of my notifications: newest first, unread ones said in words, opening one marks it
read and lands on the comment or session; mark one or all read; nobody sees anyone else's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from discussions.moderation import hide_comment
from discussions.services import reply
from notifications.models import Notification
from notifications.views import PER_PAGE
from tests.factories import make_meeting

# Notifications are made once a write commits: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)


LIST = "/notifications/"


@pytest.fixture
def replied(margin, member, moderator):
    """Mina's comment, with Max's reply."""
    root = margin.comment(member, "Is this the thesis?")
    return reply(root, author=moderator, body="It is the premise.").comment


def test_anonymous_people_are_sent_to_log_in(client, replied):
    for url in (
        LIST,
        reverse("notifications:notification-open", args=[1]),
        "/notifications/settings/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(reverse("notifications:notification-read-all")).status_code == 302
    assert Notification.objects.unread().count() == 1


def test_the_list_says_who_did_what_where(client, member, replied):
    client.force_login(member)
    page = client.get(LIST).content.decode()
    assert "1 unread" in page
    assert "Unread" in page  # in words, not only by colour
    assert "Max replied to your comment" in page
    assert "Public Readers · The Margins, Chapter 1" in page
    assert "It is the premise." in page
    notice = Notification.objects.get()
    assert reverse("notifications:notification-open", args=[notice.pk]) in page


def test_opening_marks_read_and_lands_on_the_reply(client, member, replied):
    client.force_login(member)
    notice = Notification.objects.get()
    page = client.get(LIST).content.decode()
    open_url = reverse("notifications:notification-open", args=[notice.pk])
    assert f'<form method="post" action="{open_url}"' in page
    response = client.post(open_url)
    assert response.status_code == 302
    assert response["Location"] == replied.get_absolute_url()
    assert response["Location"].endswith(f"#c-{replied.pk}")
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "Nothing unread." in client.get(LIST).content.decode()


def test_a_get_of_the_notification_only_redirects_it_does_not_mark_it_read(client, member, replied):
    """No GET changes state: an old link or a forged cross-site GET leaves it unread."""
    client.force_login(member)
    notice = Notification.objects.get()
    response = client.get(reverse("notifications:notification-open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == replied.get_absolute_url()
    notice.refresh_from_db()
    assert notice.read_at is None
    assert "1 unread" in client.get(LIST).content.decode()


def test_a_session_notice_opens_the_session(client, margin, organizer, member):
    from notifications import fanout

    meeting = make_meeting(margin.circle, margin.reading)
    fanout.meetings_announced([meeting], "meeting_scheduled", by=organizer)
    client.force_login(member)
    notice = Notification.objects.get(recipient=member)
    response = client.get(reverse("notifications:notification-open", args=[notice.pk]))
    assert response["Location"] == meeting.get_absolute_url()


def test_mark_one_read(client, member, replied, moderator):
    margin_comment = reply(replied, author=member, body="Fair.").comment  # Max hears of it
    client.force_login(member)
    notice = Notification.objects.get(recipient=member)
    response = client.post(reverse("notifications:notification-read", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == LIST
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert Notification.objects.get(recipient=moderator, comment=margin_comment).read_at is None


def test_mark_all_read(client, margin, member, moderator, replied):
    margin.comment(moderator, "@Mina, see here.")
    client.force_login(member)
    assert Notification.objects.for_user(member).unread().count() == 2
    response = client.post(reverse("notifications:notification-read-all"), follow=True)
    assert "2 notifications marked read." in response.content.decode()
    assert Notification.objects.for_user(member).unread().count() == 0


def test_nobody_opens_or_marks_anyone_elses(client, outsider, moderator, replied):
    notice = Notification.objects.get()
    for person in (outsider, moderator):
        client.force_login(person)
        assert (
            client.get(reverse("notifications:notification-open", args=[notice.pk])).status_code
            == 404
        )
        assert (
            client.post(reverse("notifications:notification-read", args=[notice.pk])).status_code
            == 404
        )
        assert (
            client.post(reverse("notifications:notification-open", args=[notice.pk])).status_code
            == 404
        )
        client.post(reverse("notifications:notification-read-all"))
    notice.refresh_from_db()
    assert notice.read_at is None


def test_marking_read_is_post_only(client, member, replied):
    client.force_login(member)
    notice = Notification.objects.get()
    assert (
        client.get(reverse("notifications:notification-read", args=[notice.pk])).status_code == 405
    )
    assert client.get(reverse("notifications:notification-read-all")).status_code == 405


def test_a_hidden_comment_is_not_quoted_in_the_list(client, member, moderator, organizer, replied):
    hide_comment(replied, organizer, "Abusive")
    client.force_login(member)
    page = client.get(LIST).content.decode()
    assert "It is the premise." not in page
    assert "This comment has since been hidden by a moderator." in page


@pytest.mark.usefixtures("posting_unlimited")
def test_the_list_is_paginated_newest_first(client, margin, member, moderator):
    for n in range(PER_PAGE + 2):
        margin.comment(moderator, f"@Mina number {n} here")
    client.force_login(member)
    first = client.get(LIST).content.decode()
    assert f"@Mina number {PER_PAGE + 1} here" in first
    assert "@Mina number 0 here" not in first
    assert "Page 1 of 2" in first
    second = client.get(LIST, {"page": 2}).content.decode()
    assert "@Mina number 0 here" in second


@pytest.mark.usefixtures("posting_unlimited")
def test_the_list_page_has_a_fixed_query_cost(
    client, margin, member, moderator, django_assert_max_num_queries
):
    for n in range(PER_PAGE):
        margin.comment(moderator, f"@Mina {n} here")
    client.force_login(member)
    client.get(LIST)
    with django_assert_max_num_queries(6):  # session, user, bell, page count, page rows
        assert client.get(LIST).status_code == 200
