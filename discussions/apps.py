from __future__ import annotations

from django.apps import AppConfig


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
