from __future__ import annotations

from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "circles"
    verbose_name = "Circles and sessions"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from accounts import data
        from readings.signals import passages_changed

        from . import data as circles_data
        from . import sections
        from .meetings_follow import keep_meeting_ranges
        from .models import Membership
        from .models.circle import membership_deleted

        # "Download my data" holds memberships and RSVPs; the last organizer hands over first.
        data.register(export=circles_data.export, blocker=circles_data.handover_first)
        # The library's pages lead a member into their circles' margins.
        sections.register()
        # A corrected edition keeps sessions' chapter ranges on chapters that exist.
        passages_changed.connect(keep_meeting_ranges, dispatch_uid="circles.keep_meeting_ranges")
        # A person's bell counts by their memberships (`User.notices_version`).
        post_delete.connect(
            membership_deleted, sender=Membership, dispatch_uid="circles.membership_deleted"
        )
