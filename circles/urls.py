"""Circles, their members, invitations and join requests; sessions (`Meeting`), RSVPs and
calendars.

`circles/new/` and `circles/mine/` come before `circles/<slug:slug>/`; those two words are also
reserved, so no circle can take them as its slug.
"""

from __future__ import annotations

from django.urls import path

from .views import calendars, circles, invites, meetings, members

app_name = "circles"

CIRCLE = "circles/<slug:slug>/"
MEETING = "circles/<slug:slug>/sessions/<int:pk>/"

urlpatterns = [
    path("circles/", circles.circle_list, name="circle-list"),
    path("circles/new/", circles.circle_create, name="circle-create"),
    path("circles/mine/", circles.my_circles, name="my-circles"),
    path(CIRCLE, circles.circle_detail, name="circle"),
    path(f"{CIRCLE}edit/", circles.circle_edit, name="circle-edit"),
    path(f"{CIRCLE}join/", circles.circle_join, name="circle-join"),
    path(f"{CIRCLE}leave/", circles.circle_leave, name="circle-leave"),
    path(f"{CIRCLE}place/", circles.place_sharing, name="place-sharing"),
    path(f"{CIRCLE}readings/add/", circles.circle_reading_add, name="circle-reading-add"),
    path(f"{CIRCLE}members/", members.members, name="members"),
    path(f"{CIRCLE}members/<int:pk>/role/", members.member_role, name="member-role"),
    path(f"{CIRCLE}members/<int:pk>/remove/", members.member_remove, name="member-remove"),
    path(
        f"{CIRCLE}requests/<int:pk>/decide/",
        members.join_request_decide,
        name="join-request-decide",
    ),
    path(f"{CIRCLE}invites/", invites.invites, name="invites"),
    path(f"{CIRCLE}invites/<int:pk>/revoke/", invites.invite_revoke, name="invite-revoke"),
    path("invite/<str:token>/", invites.invite_accept, name="invite-accept"),
    path("invite/<str:token>/ask/", invites.join_request_create, name="join-request-create"),
    path(f"{CIRCLE}sessions/new/", meetings.meeting_create, name="meeting-create"),
    path(f"{CIRCLE}sessions/plan/", meetings.meeting_plan, name="meeting-plan"),
    path(MEETING, meetings.meeting_detail, name="meeting"),
    path(f"{MEETING}edit/", meetings.meeting_edit, name="meeting-edit"),
    path(f"{MEETING}cancel/", meetings.meeting_cancel, name="meeting-cancel"),
    path(f"{MEETING}rsvp/", meetings.meeting_rsvp, name="meeting-rsvp"),
    path(f"{MEETING}notes/", meetings.meeting_notes, name="meeting-notes"),
    path(f"{MEETING}live/switch/", meetings.meeting_live_switch, name="meeting-live-switch"),
    path(f"{MEETING}event.ics", calendars.meeting_ics, name="meeting-ics"),
    path(f"{CIRCLE}calendar.ics", calendars.circle_calendar, name="circle-calendar"),
    path("calendar/<str:token>.ics", calendars.personal_calendar, name="personal-calendar"),
]
