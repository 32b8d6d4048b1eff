"""Keeping circles healthy: members' flags on comments and the moderation log.

`ModerationEvent` is append-only: the log of who hid, restored, banned or resolved what. Rows
are written by the services in `discussions.moderation`, never changed or deleted: `save()`
only ever inserts (it raises `ImmutableEvent` for a row that exists, even one built anew with
its id), `delete()` raises, and so do the queryset's `update()`, `delete()`, `bulk_update()`
and an upserting `bulk_create()`. Two things still touch rows, on purpose, through Django's
collector (which uses the plain base manager): deleting a person or a comment empties the link
to them (SET_NULL, so an erased account leaves no personal data in the log), and deleting a
whole circle takes its log with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from circles.models import Circle

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


class ModerationAction(models.TextChoices):
    HIDE = "hide", "Hid a comment"
    RESTORE = "restore", "Restored a comment"
    RESOLVE_FLAG = "resolve_flag", "Resolved flags"
    BAN = "ban", "Banned a member"
    UNBAN = "unban", "Lifted a ban"
    AUTO_HIDE = "auto_hide", "Hid a comment after flags"
    REATTACH = "reattach", "Re-attached a thread"
    STAFF_EDIT = "staff_edit", "Corrected a comment"


class ImmutableEvent(Exception):
    """The moderation log is append-only."""


CANNOT_CHANGE = "The moderation log is append-only: events cannot be changed."
CANNOT_DELETE = "The moderation log is append-only: events cannot be deleted."


class ModerationEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableEvent(CANNOT_CHANGE)

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableEvent(CANNOT_CHANGE)

    def bulk_create(self, objs, batch_size=None, ignore_conflicts=False, **kwargs):
        if kwargs.get("update_conflicts"):  # an upsert rewrites the rows it meets
            raise ImmutableEvent(CANNOT_CHANGE)
        return super().bulk_create(
            objs, batch_size=batch_size, ignore_conflicts=ignore_conflicts, **kwargs
        )

    def delete(self):
        raise ImmutableEvent(CANNOT_DELETE)


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
        """Insert the event; never an UPDATE (Django's save of an instance with an id tries an
        UPDATE first, which would rewrite the row that has it)."""
        exists = self.pk is not None and (
            not self._state.adding or type(self)._base_manager.filter(pk=self.pk).exists()
        )
        if exists or kwargs.get("force_update") or kwargs.get("update_fields") is not None:
            raise ImmutableEvent(CANNOT_CHANGE)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEvent(CANNOT_DELETE)

    @property
    def actor_name(self) -> str:
        return str(self.actor) if self.actor_id and self.actor else "system"
