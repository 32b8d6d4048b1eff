"""Sessions, calendars and email links."""

from __future__ import annotations

from django.urls import path

from discussions.views import calendars, sessions

urlpatterns = [
    path("circles/<slug:slug>/sessions/new/", sessions.session_create, name="session-create"),
    path("circles/<slug:slug>/sessions/plan/", sessions.session_plan, name="session-plan"),
    path("circles/<slug:slug>/sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("circles/<slug:slug>/sessions/<int:pk>/edit/", sessions.session_edit, name="session-edit"),
    path(
        "circles/<slug:slug>/sessions/<int:pk>/cancel/",
        sessions.session_cancel,
        name="session-cancel",
    ),
    path("circles/<slug:slug>/sessions/<int:pk>/rsvp/", sessions.session_rsvp, name="session-rsvp"),
    path(
        "circles/<slug:slug>/sessions/<int:pk>/notes/",
        sessions.session_notes,
        name="session-notes",
    ),
    path(
        "circles/<slug:slug>/sessions/<int:pk>/event.ics",
        calendars.session_ics,
        name="session-ics",
    ),
    path("circles/<slug:slug>/calendar.ics", calendars.circle_calendar, name="circle-calendar"),
    path("calendar/<str:token>.ics", calendars.personal_calendar, name="personal-calendar"),
    path("email/stop/<str:token>/", sessions.email_stop, name="email-stop"),
]
