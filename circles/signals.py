"""What the circles app announces, for the apps above it (notifications). Sent with
`accounts.events.announce`, once the write's transaction has committed.

meetings_announced  sessions of one circle were scheduled, changed or cancelled. `meetings`:
                    the Meeting rows (all of one circle); `change`: a `MeetingChange`; `by`:
                    the organizer who did it (or None).
join_requested      someone asks to join a circle. `join_request`.
join_decided        an organizer approved or declined a join request. `join_request`.
"""

from __future__ import annotations

from django.db import models
from django.dispatch import Signal


class MeetingChange(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CHANGED = "changed", "Changed"
    CANCELLED = "cancelled", "Cancelled"


meetings_announced = Signal()
join_requested = Signal()
join_decided = Signal()
