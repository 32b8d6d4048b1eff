"""New sessions continue a circle's numbering: planning twice, or planning after adding a
single session, never gives two sessions the same "Session N" title."""

from __future__ import annotations

import pytest
from django.urls import reverse

from circles.models import Meeting
from circles.planner import next_meeting_number
from tests.factories import make_meeting


@pytest.fixture(autouse=True)
def before_the_plans(time_machine):
    """The plans below start in mid-October 2026 (a past date is refused): plan them from
    before then."""
    time_machine.move_to("2026-10-01 12:00Z")


@pytest.fixture
def circle(six_chapter_circle):
    return six_chapter_circle


def plan(client, circle, action: str, rows: list[dict] | None = None, **overrides):
    data = {
        "reading": circle.readings.get().pk,
        "first_date": "2026-10-13",
        "time": "19:00",
        "cadence": "weekly",
        "count": 3,
        "duration_minutes": 90,
        "place": "",
        "video_url": "",
        "action": action,
    } | overrides
    if rows is not None:
        data |= {
            "meetings-TOTAL_FORMS": len(rows),
            "meetings-INITIAL_FORMS": len(rows),
            "meetings-MIN_NUM_FORMS": 0,
            "meetings-MAX_NUM_FORMS": 52,
        }
        for n, row in enumerate(rows):
            data |= {f"meetings-{n}-{key}": value for key, value in row.items()}
    return client.post(reverse("circles:meeting-plan", args=[circle.slug]), data)


def proposed_rows(response) -> list[dict]:
    return [
        {key: value for key, value in form.initial.items() if key != "date"}
        | {"date": form.initial["date"].isoformat(), "time": "19:00"}
        for form in response.context["formset"]
    ]


def test_a_second_plan_continues_the_numbering_of_the_first(client, circle, organizer):
    client.force_login(organizer)
    first = plan(client, circle, "preview")
    assert plan(client, circle, "save", proposed_rows(first)).status_code == 302

    second = plan(client, circle, "preview", first_date="2026-11-03")
    titles = [form.initial["title"] for form in second.context["formset"]]
    assert [title.split(":")[0] for title in titles] == ["Session 4", "Session 5", "Session 6"]
    page = second.content.decode()
    assert "<legend>Session 4" in page and "<legend>Session 1" not in page
    assert "The numbers continue the circle’s earlier sessions." in page

    plan(client, circle, "save", proposed_rows(second), first_date="2026-11-03")
    saved = list(Meeting.objects.values_list("title", flat=True))
    assert len(saved) == 6 and len(set(saved)) == 6


def test_a_plan_after_a_single_session_starts_at_two(client, circle, organizer):
    make_meeting(circle, title="Getting started")
    client.force_login(organizer)
    response = plan(client, circle, "preview")
    assert response.context["formset"][0].initial["title"].startswith("Session 2: ")


def test_numbering_goes_past_the_highest_session_title(circle):
    make_meeting(circle, title="Session 9: the long one")
    make_meeting(circle, title="Welcome evening")
    assert next_meeting_number(circle) == 10


def test_the_new_session_form_suggests_the_next_number(client, circle, organizer):
    make_meeting(circle, title="Session 1")
    make_meeting(circle, title="Session 2")
    client.force_login(organizer)
    response = client.get(reverse("circles:meeting-create", args=[circle.slug]))
    assert 'value="Session 3"' in response.content.decode()


def test_a_first_plan_starts_at_one_without_a_note(client, circle, organizer):
    client.force_login(organizer)
    response = plan(client, circle, "preview")
    assert response.context["formset"][0].initial["title"].startswith("Session 1: ")
    assert "continue the circle’s earlier sessions" not in response.content.decode()
