from __future__ import annotations

from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = "Circles and discussions"

    def ready(self) -> None:
        from readings.signals import passages_changed

        from .receivers import reanchor_comments

        # Keep comment anchors on their words when a reading's text changes (DESIGN.md, flow 4).
        passages_changed.connect(reanchor_comments, dispatch_uid="discussions.reanchor_comments")
