"""The app's URLs and the benchmark's probes (`bench.probes`)."""

from __future__ import annotations

from bench.probes import urlpatterns as probes
from config.urls import handler500  # noqa: F401 (the 500 page's view)
from config.urls import urlpatterns as app

urlpatterns = [*probes, *app]
