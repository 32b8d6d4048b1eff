from __future__ import annotations

from django.apps import AppConfig


class ReadingsConfig(AppConfig):
    name = "readings"
    verbose_name = "Readings"

    def ready(self) -> None:
        from accounts import data

        from . import data as readings_data

        data.register(export=readings_data.export)
