"""Flags and moderation on the site: a member's flag, moderators' actions, the circle's page."""

from __future__ import annotations

from django.urls import path

from discussions.views import moderation

urlpatterns = [
    path(
        "circles/<slug:slug>/comments/<int:pk>/flag/", moderation.comment_flag, name="comment-flag"
    ),
    path(
        "circles/<slug:slug>/comments/<int:pk>/hide/", moderation.comment_hide, name="comment-hide"
    ),
    path(
        "circles/<slug:slug>/comments/<int:pk>/restore/",
        moderation.comment_restore,
        name="comment-restore",
    ),
    path(
        "circles/<slug:slug>/comments/<int:pk>/flags/resolve/",
        moderation.comment_flags_resolve,
        name="comment-flags-resolve",
    ),
    path("circles/<slug:slug>/moderation/", moderation.circle_moderation, name="moderation"),
    path("circles/<slug:slug>/moderation/ban/", moderation.member_ban, name="member-ban"),
    path(
        "circles/<slug:slug>/moderation/unban/<int:user_pk>/",
        moderation.member_unban,
        name="member-unban",
    ),
]
