"""Template context for every page: the header's unread notification count, lazily."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.fragments import cached

from .models import Notification


def notifications(request: HttpRequest) -> dict:
    """`unread_notifications`: counted (one query, none when cached for the person's
    `notices_version`) only if a template shows it, and only for a signed-in person; 0 for
    everyone else."""

    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        # Cached per version of what the count is made of (`User.notices_version`, loaded
        # with the user): no query while nothing changed, never stale.
        return cached(
            f"unread:{user.pk}:{user.notices_version}",
            lambda: Notification.objects.for_user(user).unread().count(),
        )

    return {"unread_notifications": SimpleLazyObject(count)}
