from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications and email"

    def ready(self) -> None:
        from . import fanout

        # Tell people what the apps below announce (comments, flags, sessions, join requests).
        fanout.connect()
