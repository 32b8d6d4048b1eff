"""The reader's "Next up" line is kept per process under the circle's schedule version and the
reading's text version (`circles.schedule.next_session`): a warm chapter page asks nothing for
it, and it is never stale — every change to the schedule, to a chapter's name, or the clock
passing a session's end shows on the next view."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from readings.services import rename_chapter
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def next_up(client, margin) -> str:
    html = client.get(margin.chapter_url()).content.decode()
    if 'class="next-up"' not in html:
        return ""
    start = html.index('class="next-up"')
    return html[start : html.index("</p>", start)]


@pytest.fixture
def reader(client, margin, member):
    client.force_login(member)
    return client


def test_a_warm_page_asks_nothing_for_next_up(reader, margin, django_assert_num_queries):
    make_meeting(margin.circle, margin.reading, title="Opening night")
    assert "Opening night" in next_up(reader, margin)
    # The login session, the user, the circle with the membership, the chapter.
    with django_assert_num_queries(4):
        assert "Opening night" in next_up(reader, margin)


def test_planning_editing_cancelling_and_deleting_show_at_once(reader, margin):
    later = make_meeting(margin.circle, margin.reading, title="Later on")
    assert "Later on" in next_up(reader, margin)
    sooner = make_meeting(
        margin.circle, margin.reading, title="Sooner",
        starts_at=timezone.now() + timedelta(days=2),
    )  # fmt: skip
    assert "Sooner" in next_up(reader, margin)
    sooner.title = "Sooner, renamed"
    sooner.save()
    assert "Sooner, renamed" in next_up(reader, margin)
    sooner.cancel()
    assert "Later on" in next_up(reader, margin)
    later.delete()
    assert next_up(reader, margin) == ""


def test_a_renamed_chapter_shows_in_next_up(reader, margin):
    make_meeting(margin.circle, margin.reading, first=1, last=2)
    before = next_up(reader, margin)  # kept under this text version
    assert "The Long Night" not in before
    rename_chapter(margin.reading.chapters.get(number=2), "The Long Night")
    after = next_up(reader, margin)
    assert "The Long Night" in after
    assert after != before


def test_when_a_session_ends_the_next_one_is_up(reader, margin):
    now = timezone.now()
    make_meeting(margin.circle, margin.reading, title="Tonight", starts_at=now + timedelta(hours=1))
    make_meeting(
        margin.circle, margin.reading, title="Next week", starts_at=now + timedelta(days=7)
    )
    assert "Tonight" in next_up(reader, margin)
    with time_machine.travel(now + timedelta(hours=4)):  # tonight's session is over
        assert "Next week" in next_up(reader, margin)
    with time_machine.travel(now + timedelta(days=8)):
        assert next_up(reader, margin) == ""
