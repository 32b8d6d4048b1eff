"""People: the custom user, signed in by email."""

from __future__ import annotations

import secrets
import zoneinfo
from functools import cache

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    return [(name, name.replace("_", " ")) for name in names]


# Offered first wherever a zone is chosen: where most readers are, by the clock.
COMMON_TIME_ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Istanbul",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Mexico_City",
    "America/Sao_Paulo",
]


@cache
def time_zone_names() -> list[str]:
    """Every zone name, the common ones first."""
    others = [name for name, _ in time_zone_choices() if name not in COMMON_TIME_ZONES]
    return [*COMMON_TIME_ZONES, *others]


def validate_time_zone(value: str) -> None:
    if value not in dict(time_zone_choices()):
        raise ValidationError(f"“{value}” is not a time zone name such as Europe/Paris.")


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class Spoilers(models.TextChoices):
    """Whether a person's circles fold discussion of chapters they have not reached yet."""

    CIRCLE = "circle", "As each circle chooses"
    FOLD = "fold", "Always fold it"
    SHOW = "show", "Always show it"


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=80,
        blank=True,
        help_text="How other readers see you. Leave empty to use the start of your email.",
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Session times are shown in this zone.",
    )
    spoilers = models.CharField(
        "discussion of chapters you haven’t reached",
        max_length=10,
        choices=Spoilers.choices,
        default=Spoilers.CIRCLE,
        help_text="What your circles write about chapters you haven’t read yet (nor discussed "
        "in a past session) is folded, with a link to show it anyway. The chapter you are "
        "reading is never folded.",
    )
    calendar_token = models.CharField(
        max_length=64,
        unique=True,
        default=new_calendar_token,
        editable=False,
        help_text="The secret in the address of this person's calendar feed.",
    )
    notices_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Grows in the transaction of every change to what this person's unread "
        "count is made of (their notifications, their memberships): the count is cached per "
        "version (`bump_notices`).",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_for(self.display_name, self.email)

    @staticmethod
    def name_for(display_name: str, email: str) -> str:
        """A person's name from these two fields (for lists loaded without a model per row)."""
        return display_name or email.split("@", 1)[0]

    def folds_spoilers(self, circle_default: bool) -> bool:
        """Whether discussion beyond this person's reading is folded in a circle whose own
        choice is `circle_default`."""
        if self.spoilers == Spoilers.CIRCLE:
            return circle_default
        return self.spoilers == Spoilers.FOLD

    def regenerate_calendar_token(self) -> None:
        """A new secret calendar address; the old one stops working at once."""
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])

    @staticmethod
    def bump_notices(*user_ids: int) -> None:
        """A new `notices_version` for these people (call inside the write's transaction)."""
        User.objects.filter(pk__in=user_ids).update(notices_version=models.F("notices_version") + 1)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name
