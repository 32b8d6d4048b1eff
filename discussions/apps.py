from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = "Margin discussions and moderation"

    def ready(self) -> None:
        from django.core.checks import Tags, register

        from accounts import data
        from readings.signals import passages_changed

        from . import checks, sections
        from . import data as discussions_data
        from .reanchoring import reanchor_comments

        # Keep comment anchors on their words when a reading's text changes.
        passages_changed.connect(reanchor_comments, dispatch_uid="discussions.reanchor_comments")
        # ... and say so (`manage.py check --database default`) if a comment ever leaves its
        # passage's chapter.
        register(checks.comment_chapters_match_passages, Tags.database)
        # What circles' pages show of the margins (recent threads, participation, open flags).
        sections.register()
        # "Download my data" holds a person's comments; deleting the account erases the notes.
        data.register(export=discussions_data.export, erase=discussions_data.erase)
        # SQLite drops a table's triggers when a migration rebuilds it: remake the search's.
        post_migrate.connect(_keep_search_index, sender=self)


def _keep_search_index(using: str = "default", **kwargs) -> None:
    from django.db import connections

    from readings.search import ensure_sqlite_index

    from .search import SQLITE_TRIGGERS

    ensure_sqlite_index(connections[using], "discussions_comment_fts", SQLITE_TRIGGERS)
