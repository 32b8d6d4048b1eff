from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications and email"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from . import fanout
        from .models import Notification, notification_deleted

        post_delete.connect(
            notification_deleted, sender=Notification, dispatch_uid="notifications.deleted"
        )

        # Tell people what the apps below announce (comments, flags, sessions, join requests).
        fanout.connect()
