"""Circles, their members, invitations and join requests.

`circles/new/` and `circles/mine/` come before `circles/<slug:slug>/`; those two words are also
reserved, so no circle can take them as its slug.
"""

from __future__ import annotations

from django.urls import path

from discussions.views import circles, invites, members

urlpatterns = [
    path("circles/", circles.circle_list, name="circle-list"),
    path("circles/new/", circles.circle_create, name="circle-create"),
    path("circles/mine/", circles.my_circles, name="my-circles"),
    path("circles/<slug:slug>/", circles.circle_detail, name="circle"),
    path("circles/<slug:slug>/edit/", circles.circle_edit, name="circle-edit"),
    path("circles/<slug:slug>/join/", circles.circle_join, name="circle-join"),
    path("circles/<slug:slug>/leave/", circles.circle_leave, name="circle-leave"),
    path(
        "circles/<slug:slug>/readings/add/", circles.circle_reading_add, name="circle-reading-add"
    ),
    path("circles/<slug:slug>/members/", members.members, name="members"),
    path("circles/<slug:slug>/members/<int:pk>/role/", members.member_role, name="member-role"),
    path(
        "circles/<slug:slug>/members/<int:pk>/remove/",
        members.member_remove,
        name="member-remove",
    ),
    path(
        "circles/<slug:slug>/requests/<int:pk>/decide/",
        members.join_request_decide,
        name="join-request-decide",
    ),
    path("circles/<slug:slug>/invites/", invites.invites, name="invites"),
    path(
        "circles/<slug:slug>/invites/<int:pk>/revoke/",
        invites.invite_revoke,
        name="invite-revoke",
    ),
    path("invite/<str:token>/", invites.invite_accept, name="invite-accept"),
    path("invite/<str:token>/ask/", invites.join_request_create, name="join-request-create"),
]
