"""The app's production settings with the benchmark's probes (`bench.probes`) added to its
URLs: only `bench/run.py`'s server runs with these."""

from __future__ import annotations

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
