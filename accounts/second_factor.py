"""Staff need a second factor: an authenticator app (TOTP) or a security key (WebAuthn),
through allauth's MFA.

A staff account (or a superuser) without one is sent to set up an authenticator app from every
page but allauth's own (`/accounts/…`: log-in, log-out, the two-factor pages), so neither the
admin nor any staff power (the import pages, private circles) is reachable with a password
alone (`StaffSecondFactorMiddleware`). `manage.py check --database default` warns of every
staff account that has none yet (`staff_without_second_factor`, accounts.W001).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib import messages
from django.core.checks import Warning
from django.db import DatabaseError, connections
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

# Recovery codes alone are not a factor: they only stand in for one.
FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
STAFF = Q(is_staff=True) | Q(is_superuser=True)
SET_UP = "mfa_activate_totp"
MESSAGE = (
    "Staff accounts need a second factor. Set up an authenticator app to go on: "
    "scan the code below, then enter the code it shows."
)


def needs_second_factor(user) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=FACTORS).exists()


def add_authenticator_app(user, secret: str) -> None:
    """Give `user` an authenticator app (TOTP) with the base32 `secret`, unless they have one."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)


def current_code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app holding `secret` shows now (or at the time `at`)."""
    moment = time.time() if at is None else at
    return format_hotp_value(hotp_value(secret, int(moment) // mfa_settings.TOTP_PERIOD))


def _open_to_everyone(path: str) -> bool:
    """allauth's pages (where the factor is set up, and log-out), static files, health."""
    return path.startswith(("/accounts/", settings.STATIC_URL)) or path in (
        "/healthz",
        "/favicon.ico",
    )


class StaffSecondFactorMiddleware:
    """Sends staff without a second factor to set one up (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and needs_second_factor(user)
            and not _open_to_everyone(request.path)
            and not has_second_factor(user)
        ):
            messages.warning(request, MESSAGE)
            url = reverse(SET_UP)
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(url)
            return redirect(url)
        return self.get_response(request)


def staff_without_second_factor(app_configs=None, databases=None, **kwargs) -> list:
    """accounts.W001: staff accounts with a password only (`check --database default`)."""
    from .models import User

    warnings = []
    for alias in databases or []:
        tables = connections[alias].introspection.table_names()
        if User._meta.db_table not in tables or Authenticator._meta.db_table not in tables:
            continue  # not migrated yet
        try:
            with_factor = Authenticator.objects.using(alias).filter(type__in=FACTORS)
            emails = list(
                User.objects.using(alias)
                .filter(STAFF, is_active=True)
                .exclude(pk__in=with_factor.values("user_id"))
                .order_by("email")
                .values_list("email", flat=True)
            )
        except DatabaseError:
            continue
        if emails:
            warnings.append(
                Warning(
                    f"{len(emails)} staff account(s) have no second factor: "
                    f"{', '.join(emails[:10])}{' …' if len(emails) > 10 else ''}. "
                    "They are sent to set one up before any other page.",
                    hint="Each should log in and set up an authenticator app at "
                    "/accounts/2fa/totp/activate/, or lose is_staff and is_superuser.",
                    id="accounts.W001",
                )
            )
    return warnings
