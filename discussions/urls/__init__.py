"""The discussions app's URLs, gathered from one module per area under one namespace."""

from __future__ import annotations

from . import circles, contents, moderation, notifications, reader, sessions

app_name = "discussions"

urlpatterns = [
    *circles.urlpatterns,
    *sessions.urlpatterns,
    *contents.urlpatterns,
    *reader.urlpatterns,
    *moderation.urlpatterns,
    *notifications.urlpatterns,
]
