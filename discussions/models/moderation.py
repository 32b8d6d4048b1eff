"""Keeping circles healthy: members' flags on comments and the moderation log.

`ModerationEvent` is append-only: the log of who hid, restored, banned or resolved what. Rows
are written by the services in `discussions.moderation`, never changed or deleted (`save()`
of an existing row and `delete()` raise `ImmutableEvent`, and so does a queryset's `delete()`).
Two things still touch rows, on purpose: deleting a person or a comment empties the link to
them (SET_NULL, so an erased account leaves no personal data in the log), and deleting a whole
circle takes its log with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .circles import Circle
from .comments import Comment


class FlagReason(models.TextChoices):
    SPAM = "spam", "Spam"
    ABUSE = "abuse", "Abusive or hateful"
    OFF_TOPIC = "off_topic", "Off topic"
    OTHER = "other", "Something else"


class FlagResolution(models.TextChoices):
    OPEN = "open", "Waiting for review"
    KEPT = "kept", "Reviewed: comment kept"
    HIDDEN = "hidden", "Reviewed: comment hidden"


class FlagQuerySet(models.QuerySet):
    def open(self) -> FlagQuerySet:
        return self.filter(resolution=FlagResolution.OPEN)


class Flag(models.Model):
    """A member reports a comment; each member flags a given comment once."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=10, choices=FlagReason.choices)
    note = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolution = models.CharField(
        max_length=10, choices=FlagResolution.choices, default=FlagResolution.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="flag_once_per_member"),
        ]
        indexes = [
            models.Index(
                fields=["comment"], condition=Q(resolution="open"), name="flag_open_comment"
            ),
            models.Index(fields=["resolution", "created_at"], name="flag_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} flag on comment {self.comment_id}"

    @property
    def is_open(self) -> bool:
        return self.resolution == FlagResolution.OPEN


class ModerationAction(models.TextChoices):
    HIDE = "hide", "Hid a comment"
    RESTORE = "restore", "Restored a comment"
    RESOLVE_FLAG = "resolve_flag", "Resolved flags"
    BAN = "ban", "Banned a member"
    UNBAN = "unban", "Lifted a ban"
    AUTO_HIDE = "auto_hide", "Hid a comment after flags"
    REATTACH = "reattach", "Re-attached a thread"


class ImmutableEvent(Exception):
    """The moderation log is append-only."""


class ModerationEventQuerySet(models.QuerySet):
    def delete(self):
        raise ImmutableEvent("The moderation log is append-only: events cannot be deleted.")


class ModerationEvent(models.Model):
    """One moderation action, as it happened. An empty actor is the system (auto-hide)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=12, choices=ModerationAction.choices)
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="moderation_events")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ModerationEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["circle", "-created_at"], name="moderation_log")]

    def __str__(self) -> str:
        return f"{self.actor_name}: {self.get_action_display()} in {self.circle}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableEvent("The moderation log is append-only: events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEvent("The moderation log is append-only: events cannot be deleted.")

    @property
    def actor_name(self) -> str:
        return str(self.actor) if self.actor_id and self.actor else "system"
