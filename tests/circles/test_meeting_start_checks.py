"""A session's start, as an organizer types it: a date already past is refused for new sessions
and plans, a time the clocks skip is refused naming it, a time that happens twice is the first
of the two and the page says so. The plan form words its date and time errors as the session
form does."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from circles.models import Meeting
from tests.circles.meeting_forms import meeting_form
from tests.factories import make_circle, make_meeting, make_reading

NOW = "2027-03-01 12:00Z"
GAP = "01:30 does not exist on 28 March 2027 in Europe/London: the clocks go forward"


@pytest.fixture(autouse=True)
def early_march_2027(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def circle(six_chapter_circle):
    return six_chapter_circle


@pytest.fixture
def one_reading_circle(organizer):
    reading = make_reading("Four Chapters", chapters=4)
    return make_circle(organizer, name="Four", readings=[reading], time_zone="Europe/London")


def create(client, circle, **overrides):
    url = reverse("circles:meeting-create", args=[circle.slug])
    return client.post(url, meeting_form(circle, **overrides), follow=True)


def plan(client, circle, **overrides):
    data = {
        "action": "preview", "reading": circle.readings.get().pk, "first_date": "2027-03-09",
        "time": "19:00", "cadence": "weekly", "count": 3, "duration_minutes": 90,
        "place": "", "video_url": "",
    } | overrides  # fmt: skip
    return client.post(reverse("circles:meeting-plan", args=[circle.slug]), data)


def save_rows(client, circle, rows: list[tuple[str, str]]):
    data = {
        "action": "save", "reading": circle.readings.get().pk, "first_date": rows[0][0],
        "time": rows[0][1], "cadence": "weekly", "count": len(rows), "duration_minutes": 90,
        "place": "", "video_url": "", "meetings-TOTAL_FORMS": len(rows),
        "meetings-INITIAL_FORMS": len(rows), "meetings-MIN_NUM_FORMS": 0,
        "meetings-MAX_NUM_FORMS": 52,
    }  # fmt: skip
    for n, (day, at) in enumerate(rows):
        data |= {
            f"meetings-{n}-title": f"Part {n + 1}", f"meetings-{n}-first_chapter": n + 1,
            f"meetings-{n}-last_chapter": n + 1, f"meetings-{n}-date": day,
            f"meetings-{n}-time": at,
        }  # fmt: skip
    return client.post(reverse("circles:meeting-plan", args=[circle.slug]), data, follow=True)


# --- dates already past ----------------------------------------------------------------------


def test_a_new_session_in_the_past_is_refused(client, one_reading_circle, organizer):
    client.force_login(organizer)
    response = create(client, one_reading_circle, date="2027-02-27", time="19:00")
    assert response.status_code == 422
    assert response.context["form"].errors["date"] == [
        "That date has passed: 27 February 2027 is before today in Europe/London."
    ]
    assert "That date has passed" in response.text
    assert not Meeting.objects.exists()


def test_earlier_today_is_refused_too_and_later_today_is_fine(
    client, one_reading_circle, organizer
):
    client.force_login(organizer)
    response = create(client, one_reading_circle, date="2027-03-01", time="11:00")
    assert response.context["form"].errors["date"] == [
        "That time has passed: 11:00 today in Europe/London is already over."
    ]
    create(client, one_reading_circle, date="2027-03-01", time="13:00")
    assert Meeting.objects.get().starts_at == datetime(2027, 3, 1, 13, tzinfo=UTC)


def test_editing_a_past_session_keeps_its_time_but_cannot_move_another_into_the_past(
    client, one_reading_circle, organizer
):
    past = make_meeting(
        one_reading_circle, first=1, starts_at=datetime(2027, 2, 20, 19, tzinfo=UTC)
    )
    client.force_login(organizer)
    edit = reverse("circles:meeting-edit", args=[one_reading_circle.slug, past.pk])
    kept = client.post(
        edit,
        meeting_form(one_reading_circle, title="Renamed", date="2027-02-20", time="19:00"),
    )
    assert kept.status_code == 302
    past.refresh_from_db()
    assert past.title == "Renamed"

    coming = make_meeting(one_reading_circle, first=2)
    edit = reverse("circles:meeting-edit", args=[one_reading_circle.slug, coming.pk])
    moved = client.post(edit, meeting_form(one_reading_circle, date="2027-02-21"))
    assert moved.status_code == 422
    assert "That date has passed: 21 February 2027" in moved.text


def test_a_plan_starting_in_the_past_is_refused(client, circle, organizer):
    client.force_login(organizer)
    response = plan(client, circle, first_date="2027-02-01")
    assert response.context["form"].errors["first_date"] == [
        "That date has passed: 1 February 2027 is before today in Europe/London."
    ]
    assert "That date has passed: 1 February 2027" in response.content.decode()
    assert response.context["formset"] is None


def test_a_planned_row_moved_into_the_past_is_refused_on_save(client, circle, organizer):
    client.force_login(organizer)
    response = save_rows(client, circle, [("2027-03-09", "19:00"), ("2027-02-16", "19:00")])
    assert not Meeting.objects.exists()
    formset = response.context["formset"]
    assert formset.errors[1] == {
        "date": ["That date has passed: 16 February 2027 is before today in Europe/London."]
    }


# --- clocks going forward or back ------------------------------------------------------------


def test_a_time_the_clocks_skip_is_refused_naming_it(client, one_reading_circle, organizer):
    client.force_login(organizer)
    response = create(client, one_reading_circle, date="2027-03-28", time="01:30")
    [error] = response.context["form"].errors["time"]
    assert error.startswith(GAP)
    assert error.endswith("Choose another time, such as 02:30.")
    assert not Meeting.objects.exists()


def test_the_plan_refuses_a_skipped_time_for_its_first_session(client, circle, organizer):
    client.force_login(organizer)
    response = plan(client, circle, first_date="2027-03-28", time="01:30")
    [error] = response.context["form"].errors["time"]
    assert error.startswith(GAP)
    assert response.context["formset"] is None


def test_a_planned_row_on_the_skipped_hour_is_refused_on_save(client, circle, organizer):
    client.force_login(organizer)
    response = save_rows(
        client, circle, [("2027-03-21", "01:30"), ("2027-03-28", "01:30"), ("2027-04-04", "01:30")]
    )
    assert not Meeting.objects.exists()
    errors = response.context["formset"].errors
    assert errors[0] == errors[2] == {}
    assert errors[1]["time"][0].startswith(GAP)


def test_a_time_that_happens_twice_is_the_first_and_the_page_says_so(
    client, one_reading_circle, organizer
):
    client.force_login(organizer)
    response = create(client, one_reading_circle, date="2027-10-31", time="01:30")
    meeting = Meeting.objects.get()
    # The first 01:30 is still summer time (UTC+1): 00:30 UTC; the second would be 01:30 UTC.
    assert meeting.starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert (
        "01:30 happens twice on 31 October 2027 in Europe/London, as the clocks go back: "
        "the session starts at the first, 01:30 BST."
    ) in response.text


def test_a_planned_row_that_happens_twice_is_saved_at_the_first_and_said(client, circle, organizer):
    client.force_login(organizer)
    response = save_rows(client, circle, [("2027-10-24", "01:30"), ("2027-10-31", "01:30")])
    first, second = Meeting.objects.order_by("starts_at")
    assert second.starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert first.starts_at == datetime(2027, 10, 24, 0, 30, tzinfo=UTC)
    assert "01:30 happens twice on 31 October 2027" in response.text
    assert response.text.count("happens twice") == 1


def test_ordinary_times_say_nothing_about_clocks(client, one_reading_circle, organizer):
    client.force_login(organizer)
    response = create(client, one_reading_circle, date="2027-03-28", time="19:00")
    assert Meeting.objects.get().starts_at == datetime(2027, 3, 28, 18, tzinfo=UTC)
    assert "happens twice" not in response.text


# --- the plan form's wording -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"first_date": ""}, "first_date", "Enter the day of the session."),
        ({"first_date": "soon"}, "first_date", "Enter a date."),
        ({"time": ""}, "time", "Enter the time the session starts."),
        ({"time": "evening"}, "time", "Enter a time such as 19:30."),
    ],
)
def test_the_plan_form_words_date_and_time_errors_as_the_session_form(
    client, circle, organizer, one_reading_circle, overrides, field, message
):
    client.force_login(organizer)
    assert plan(client, circle, **overrides).context["form"].errors[field] == [message]
    session_field = {"first_date": "date"}.get(field, field)
    response = create(client, one_reading_circle, **{session_field: overrides[field]})
    assert response.context["form"].errors[session_field] == [message]
