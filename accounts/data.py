"""A person's own data: download it all, or delete the account.

`accounts` sits below every other app and imports none of them. So each app says what it holds
about a person by registering, in its `AppConfig.ready()`, any of:
- an exporter, `export(user) -> dict`: its part of the download, as top-level keys (lists
  under a key two apps give are joined, without repeats);
- a blocker, `blocker(user) -> str`: why the account cannot be deleted yet ("" if it can), for
  the person to put right first (e.g. hand over a circle they alone organize);
- an eraser, `erase(user)`: run in the deletion's transaction before the User row goes, for
  what the cascade would not do right (e.g. delete private notes, refresh cached pages).

Deleting an account works like a forum: comments stay in their threads with their bodies,
shown as by "former member" (`Comment.author` is SET_NULL). Everything else that is personal
goes: the User row, and with it (by cascade) memberships, RSVPs, reading progress, email
preferences, notifications, email addresses and MFA authenticators (notifications the person
caused stay with their recipients, from "a former member"); private notes (nobody else can read
them) are deleted by their app's eraser; sessions are ended everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import User

EXPORT_FILENAME = "marginalia-data.json"

Exporter = Callable[[User], dict[str, Any]]
Blocker = Callable[[User], str]
Eraser = Callable[[User], None]

_exporters: list[Exporter] = []
_blockers: list[Blocker] = []
_erasers: list[Eraser] = []


def register(
    *, export: Exporter | None = None, blocker: Blocker | None = None, erase: Eraser | None = None
) -> None:
    """Add an app's part of the download, of the checks before deletion, of the deletion
    (each once, however often `ready()` runs)."""
    for registry, item in ((_exporters, export), (_blockers, blocker), (_erasers, erase)):
        if item is not None and item not in registry:
            registry.append(item)


def iso(value) -> str | None:
    """A date or time as ISO 8601, for the download."""
    return value.isoformat() if value is not None else None


# --- download --------------------------------------------------------------------------------


def export_user_data(user: User) -> dict[str, Any]:
    """Everything Marginalia holds about `user`, as JSON-ready data."""
    data: dict[str, Any] = {"exported_at": iso(timezone.now()), "profile": _profile(user)}
    for export in _exporters:
        for key, value in export(user).items():
            if isinstance(value, list) and isinstance(data.get(key), list):
                data[key] += [item for item in value if item not in data[key]]
            else:
                data[key] = value
    return data


def _profile(user: User) -> dict[str, Any]:
    from allauth.account.models import EmailAddress

    return {
        "email": user.email,
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "spoilers": user.spoilers,
        "date_joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }


# --- deletion --------------------------------------------------------------------------------


class DeleteLater(Exception):
    """Something the person must put right before their account can be deleted."""


def reasons_to_wait(user: User) -> list[str]:
    """What stops `user`'s account being deleted now (empty when nothing does)."""
    return [reason for reason in (blocker(user) for blocker in _blockers) if reason]


@transaction.atomic
def delete_account(user: User) -> None:
    """Erase `user`, keeping their shared comments as "former member" (see module docstring).

    Refuses (`DeleteLater`) while something stops it (`reasons_to_wait`)."""
    reasons = reasons_to_wait(user)
    if reasons:
        raise DeleteLater(" ".join(reasons))
    from allauth.usersessions.models import UserSession

    for erase in _erasers:
        erase(user)
    for session in UserSession.objects.filter(user=user):
        session.end()
    user.delete()
