"""Who may see a notification: its recipient, while they are still in its circle."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import Notification


def get_notification_for_recipient(request: HttpRequest, pk: int) -> Notification:
    """One of the requester's own notifications (from a circle they are still in); anyone
    else's is 404."""
    return get_object_or_404(Notification.objects.for_user(request.user).for_display(), pk=pk)
