from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReadingsConfig(AppConfig):
    name = "readings"
    verbose_name = "Readings"

    def ready(self) -> None:
        from accounts import data

        from . import data as readings_data

        data.register(export=readings_data.export)
        post_migrate.connect(_keep_search_index, sender=self)


def _keep_search_index(using: str = "default", **kwargs) -> None:
    """SQLite drops a table's triggers when a migration rebuilds the table: remake the
    passages' search triggers (and the index) if they are gone."""
    from django.db import connections

    from .search import SQLITE_TRIGGERS, ensure_sqlite_index

    ensure_sqlite_index(connections[using], "readings_passage_fts", SQLITE_TRIGGERS)
