from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The `demo` command, which composes every app's demo data (so it may import them all)."""

    name = "demo"
    verbose_name = "Demo"
