"""The circle reader and its margins: a reading's contents and chapters in a circle, passages
and their threads, writing in the margin, flags and moderation.

A passage's page nests under the reading's contents (`…/read/<reading>/p/<key>/`), which
`discussions.links.passage_base_url` relies on. A thread also has a page of its own,
`threads/<pk>/`, which needs no passage: it is where a thread lives once its passage is gone
(an orphan whose passage a re-import dropped).
"""

from __future__ import annotations

from django.urls import path

from .views import annotations, comments, moderation, reader, search, sessions, threads

app_name = "discussions"

READ = "circles/<slug:slug>/read/<slug:reading_slug>/"
COMMENT = "circles/<slug:slug>/comments/<int:pk>/"
SESSION = "circles/<slug:slug>/sessions/<int:pk>/"

urlpatterns = [
    path("reader/keyboard/", reader.keyboard_help, name="keyboard"),
    path(READ, reader.circle_reading, name="circle-reading"),
    path(f"{READ}<int:number>/", reader.circle_chapter, name="circle-chapter"),
    path(f"{READ}orphans/", reader.reading_orphans, name="reading-orphans"),
    path(f"{READ}search/", search.reading_search, name="reading-search"),
    path("circles/<slug:slug>/search/", search.circle_search, name="circle-search"),
    path(f"{READ}p/<str:key>/", threads.passage_detail, name="passage"),
    path(f"{READ}p/<str:key>/comments/new/", comments.comment_create, name="comment-create"),
    path("circles/<slug:slug>/threads/<int:pk>/", threads.thread_detail, name="thread"),
    path(
        "circles/<slug:slug>/threads/<int:pk>/replies/new/",
        comments.thread_reply,
        name="thread-reply",
    ),
    path("circles/<slug:slug>/threads/<int:pk>/raise/", sessions.thread_raise, name="thread-raise"),
    path(f"{SESSION}agenda/<int:thread_pk>/", sessions.agenda_edit, name="agenda-edit"),
    path(f"{SESSION}live/", sessions.meeting_live, name="meeting-live"),
    path(f"{SESSION}handout/", sessions.meeting_handout, name="meeting-handout"),
    path(f"{SESSION}handout.md", sessions.meeting_handout_markdown, name="meeting-handout-md"),
    path(f"{COMMENT}edit/", comments.comment_edit, name="comment-edit"),
    path(f"{COMMENT}delete/", comments.comment_delete, name="comment-delete"),
    path(f"{COMMENT}history/", comments.comment_history, name="comment-history"),
    path(f"{COMMENT}reattach/", comments.comment_reattach, name="comment-reattach"),
    path(f"{COMMENT}annotation.json", annotations.comment_annotation, name="comment-annotation"),
    path(
        "circles/<slug:slug>/annotations/",
        annotations.annotation_collection,
        name="annotation-collection",
    ),
    path(
        "circles/<slug:slug>/annotations/import/",
        annotations.import_annotations,
        name="annotation-import",
    ),
    path(f"{COMMENT}flag/", moderation.comment_flag, name="comment-flag"),
    path(f"{COMMENT}hide/", moderation.comment_hide, name="comment-hide"),
    path(f"{COMMENT}restore/", moderation.comment_restore, name="comment-restore"),
    path(
        f"{COMMENT}flags/resolve/", moderation.comment_flags_resolve, name="comment-flags-resolve"
    ),
    path("circles/<slug:slug>/moderation/", moderation.circle_moderation, name="moderation"),
    path("circles/<slug:slug>/moderation/ban/", moderation.member_ban, name="member-ban"),
    path(
        "circles/<slug:slug>/moderation/unban/<int:user_pk>/",
        moderation.member_unban,
        name="member-unban",
    ),
]
