"""A reading's contents in a circle's context."""

from __future__ import annotations

from django.urls import path

from discussions.views import contents

urlpatterns = [
    path(
        "circles/<slug:slug>/read/<slug:reading_slug>/",
        contents.circle_reading,
        name="circle-reading",
    ),
]
