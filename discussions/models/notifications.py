"""What people are told, and how: per-kind email preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class EmailKind(models.TextChoices):
    SESSION_SCHEDULED = "session_scheduled", "A session is scheduled in my circles"
    SESSION_CHANGED = "session_changed", "A session in my circles changes"
    SESSION_CANCELLED = "session_cancelled", "A session in my circles is cancelled"
    SESSION_REMINDER = "session_reminder", "A reminder the day before a session"


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Right away"
    DIGEST = "digest", "In a daily digest"
    NEVER = "never", "Never"


class EmailPreferenceQuerySet(models.QuerySet):
    def opted_out(self, kind: str) -> models.QuerySet:
        """User ids who asked never to get `kind` by email."""
        return self.filter(kind=kind, frequency=Frequency.NEVER).values("user_id")


class EmailPreference(models.Model):
    """A person's choice for one kind of email; no row means "right away"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(max_length=40, choices=EmailKind.choices)
    frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )

    objects = EmailPreferenceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} — {self.get_frequency_display()}"

    @classmethod
    def set(cls, user, kind: str, frequency: str) -> None:
        cls.objects.update_or_create(user=user, kind=kind, defaults={"frequency": frequency})
