"""A session's agenda as it grows from the margin: members mark threads "Raise at the session"
(`RaiseMark`, one per member per thread), and the circle's organizers order, pin, drop and
mark discussed the threads on a session's agenda (`AgendaItem`, one per session and thread,
made the first time an organizer touches one)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from circles.models import Meeting

from .comments import Comment


class RaiseMark(models.Model):
    """A member asks for a thread to be raised at the session covering its chapter."""

    thread = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="raise_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="raise_mark_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} raises thread {self.thread_id}"


class AgendaItem(models.Model):
    """What an organizer decided about a thread on a session's agenda. Items with no row
    follow those with a position, most marks first."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    thread = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(null=True, blank=True)
    pinned = models.BooleanField(default=False)
    dropped = models.BooleanField(default=False)
    discussed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "thread"], name="agenda_item_once"),
        ]

    def __str__(self) -> str:
        return f"Thread {self.thread_id} on the agenda of session {self.meeting_id}"
