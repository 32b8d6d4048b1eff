"""Reading with a circle: chapters, passages and their threads, and writing in the margin.

A thread also has a page of its own, `threads/<pk>/`, which needs no passage: it is where a
thread lives once its passage is gone (an orphan whose passage a re-import dropped).
"""

from __future__ import annotations

from django.urls import path

from discussions.views import comments, reader, threads

urlpatterns = [
    path(
        "circles/<slug:slug>/read/<slug:reading_slug>/<int:number>/",
        reader.circle_chapter,
        name="circle-chapter",
    ),
    path(
        "circles/<slug:slug>/read/<slug:reading_slug>/p/<str:key>/",
        threads.passage_detail,
        name="passage",
    ),
    path(
        "circles/<slug:slug>/read/<slug:reading_slug>/p/<str:key>/comments/new/",
        comments.comment_create,
        name="comment-create",
    ),
    path("circles/<slug:slug>/threads/<int:pk>/", threads.thread_detail, name="thread"),
    path(
        "circles/<slug:slug>/threads/<int:pk>/replies/new/",
        comments.thread_reply,
        name="thread-reply",
    ),
    path("circles/<slug:slug>/comments/<int:pk>/edit/", comments.comment_edit, name="comment-edit"),
    path(
        "circles/<slug:slug>/comments/<int:pk>/delete/",
        comments.comment_delete,
        name="comment-delete",
    ),
    path(
        "circles/<slug:slug>/comments/<int:pk>/history/",
        comments.comment_history,
        name="comment-history",
    ),
    path(
        "circles/<slug:slug>/comments/<int:pk>/reattach/",
        comments.comment_reattach,
        name="comment-reattach",
    ),
    path(
        "circles/<slug:slug>/comments/<int:pk>/annotation.json",
        threads.comment_annotation,
        name="comment-annotation",
    ),
]
