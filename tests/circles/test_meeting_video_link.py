"""A session's video-call link is for the circle's members, on the session page as on the
circle home: visitors of a public circle learn there is a call, not how to join it."""

from __future__ import annotations

import pytest

from tests.factories import make_circle, make_meeting, make_reading

LINK = "https://meet.example.org/secret-room"


@pytest.fixture
def meeting(organizer, member):
    circle = make_circle(organizer, readings=[make_reading()])
    circle.add_member(member)
    return make_meeting(circle, video_url=LINK)


def test_members_get_the_video_link(client, meeting, member):
    client.force_login(member)
    page = client.get(meeting.get_absolute_url()).text
    assert f'href="{LINK}"' in page


@pytest.mark.parametrize("signed_in", [False, True])
def test_visitors_learn_there_is_a_call_but_not_its_link(client, meeting, outsider, signed_in):
    if signed_in:
        client.force_login(outsider)
    page = client.get(meeting.get_absolute_url()).text
    assert LINK not in page
    assert "A video call (members get the link)" in page
