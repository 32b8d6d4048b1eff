"""Plan a schedule: propose balanced rows, adjust them, save all at once or none."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from circles.models import Meeting


@pytest.fixture(autouse=True)
def before_the_plans(time_machine):
    """The plans below start in mid-October 2026 (a past date is refused): plan them from
    before then."""
    time_machine.move_to("2026-10-01 12:00Z")


@pytest.fixture
def circle(six_chapter_circle):
    return six_chapter_circle


def plan_data(circle, **overrides) -> dict:
    data = {
        "reading": circle.readings.get().pk,
        "first_date": "2026-10-13",
        "time": "19:00",
        "cadence": "weekly",
        "count": 6,
        "duration_minutes": 90,
        "place": "Upstairs",
        "video_url": "",
    }
    return data | overrides


def rows_data(circle, rows: list[dict], **plan) -> dict:
    data = plan_data(circle, **plan) | {
        "action": "save",
        "meetings-TOTAL_FORMS": len(rows),
        "meetings-INITIAL_FORMS": len(rows),
        "meetings-MIN_NUM_FORMS": 0,
        "meetings-MAX_NUM_FORMS": 52,
    }
    for n, row in enumerate(rows):
        data |= {f"meetings-{n}-{key}": value for key, value in row.items()}
    return data


def six_rows() -> list[dict]:
    days = ["2026-10-13", "2026-10-20", "2026-10-27", "2026-11-03", "2026-11-10", "2026-11-17"]
    return [
        {"title": f"Part {n}", "first_chapter": n, "last_chapter": n, "date": day, "time": "19:00"}
        for n, day in enumerate(days, start=1)
    ]


def test_preview_proposes_one_row_per_session_with_dates_and_reading_time(
    client, circle, organizer
):
    client.force_login(organizer)
    url = reverse("circles:meeting-plan", args=[circle.slug])
    response = client.post(url, plan_data(circle) | {"action": "preview"})
    formset = response.context["formset"]
    assert [form.initial["first_chapter"] for form in formset] == [1, 2, 3, 4, 5, 6]
    assert [str(form.initial["date"]) for form in formset][:3] == [
        "2026-10-13", "2026-10-20", "2026-10-27",
    ]  # fmt: skip
    page = response.content.decode()
    assert "about 2 min of reading" in page
    assert "Save all 6 sessions" in page
    assert not Meeting.objects.exists()


def test_a_reading_with_fewer_chapters_than_sessions_says_so(client, circle, organizer):
    client.force_login(organizer)
    url = reverse("circles:meeting-plan", args=[circle.slug])
    response = client.post(url, plan_data(circle, count=8) | {"action": "preview"})
    assert (
        "This reading has 6 chapters, fewer than the 8 sessions asked for: choose fewer sessions."
        in response.content.decode()
    )
    assert response.context["formset"] is None


def test_saving_creates_every_session_keeping_local_time_across_the_clock_change(
    client, circle, organizer
):
    client.force_login(organizer)
    url = reverse("circles:meeting-plan", args=[circle.slug])
    response = client.post(url, rows_data(circle, six_rows()))
    assert response.status_code == 302
    meetings = list(Meeting.objects.order_by("starts_at"))
    assert [m.title for m in meetings] == [f"Part {n}" for n in range(1, 7)]
    # British Summer Time ends on 25 October 2026: 19:00 local is 18:00 UTC, then 19:00 UTC.
    assert meetings[1].starts_at == datetime(2026, 10, 20, 18, 0, tzinfo=UTC)
    assert meetings[2].starts_at == datetime(2026, 10, 27, 19, 0, tzinfo=UTC)
    assert {m.place for m in meetings} == {"Upstairs"}
    assert all(m.created_by == organizer for m in meetings)


def test_one_bad_row_saves_nothing_and_shows_the_error_on_that_row(client, circle, organizer):
    client.force_login(organizer)
    rows = six_rows()
    rows[3] |= {"first_chapter": 5, "last_chapter": 4}
    rows[4] |= {"date": ""}
    url = reverse("circles:meeting-plan", args=[circle.slug])
    response = client.post(url, rows_data(circle, rows))
    assert response.status_code == 422
    assert not Meeting.objects.exists()
    formset = response.context["formset"]
    assert formset.errors[3] == {"last_chapter": ["The last chapter comes before the first one."]}
    assert "date" in formset.errors[4]
    assert formset.errors[0] == {}
