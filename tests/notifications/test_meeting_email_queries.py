"""Mailing a session announcement looks its sessions up once, however many members it goes
to: only the per-person claim and checks grow with the circle."""

from __future__ import annotations

import pytest

from notifications import delivery, fanout
from notifications.models import Notification, NotificationKind
from tests.factories import make_circle, make_meeting, make_user

# Notifications are made once a write commits: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)


# Each person's email: claiming their two notifications, checking their membership and
# preferences, and the savepoint around it. Once per call: the notifications, the sessions.
PER_PERSON = 6
ONCE = 2


def announce_to(members: int) -> list[int]:
    """A planned schedule of two sessions, announced to a circle of `members` members."""
    organizer = make_user(display_name="Olive")
    circle = make_circle(organizer)
    for _ in range(members):
        circle.add_member(make_user())
    meetings = [make_meeting(circle, title="One"), make_meeting(circle, title="Two")]
    fanout.meetings_announced(meetings, NotificationKind.MEETING_SCHEDULED, by=organizer)
    return list(Notification.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("members", [3, 12])
def test_the_sessions_are_looked_up_once_for_every_member(
    db, members, django_assert_max_num_queries, mailoutbox
):
    ids = announce_to(members)
    with django_assert_max_num_queries(ONCE + PER_PERSON * members) as captured:
        assert delivery.send_now(ids) == members
    lookups = [query for query in captured if 'FROM "circles_meeting"' in query["sql"]]
    assert len(lookups) == 1
    assert len(mailoutbox) == members
    subjects = {message.subject for message in mailoutbox}
    assert subjects == {"[Marginalia] 2 new sessions in Tuesday Readers"}
