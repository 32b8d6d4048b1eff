"""The discussions app's URLs, gathered from one module per area under one namespace."""

from __future__ import annotations

from . import circles, reader, sessions

app_name = "discussions"

urlpatterns = [*circles.urlpatterns, *sessions.urlpatterns, *reader.urlpatterns]
