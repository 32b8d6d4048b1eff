from __future__ import annotations

import json

from allauth.account.views import login as allauth_login
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .data import EXPORT_FILENAME, DeleteLater, delete_account, export_user_data, reasons_to_wait
from .forms import DeleteAccountForm, ProfileForm
from .http import AuthedRequest, refused

TOO_MANY_REQUESTS = 429


def login(request: HttpRequest) -> HttpResponse:
    """allauth's log-in page (at its own address, `account_login`). Refused for too many
    failed attempts (ACCOUNT_RATE_LIMITS), it answers 429 with the same page and its message,
    so that scripts and monitoring see the lockout as what it is."""
    response = allauth_login(request)
    form = (getattr(response, "context_data", None) or {}).get("form")
    if (
        form is not None
        and form.is_bound
        and form.has_error(NON_FIELD_ERRORS, "too_many_login_attempts")
    ):
        response.status_code = TOO_MANY_REQUESTS
    return response


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request: AuthedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form}, status=refused(form))


@login_required
@require_POST
def calendar_regenerate(request: AuthedRequest) -> HttpResponse:
    """A new secret calendar address; the old one stops working at once."""
    request.user.regenerate_calendar_token()
    messages.success(
        request, "Your calendar has a new address. Update it in your calendar program."
    )
    return redirect("accounts:settings")


@login_required
@require_GET
def data_export(request: AuthedRequest) -> HttpResponse:
    """Everything we hold about the person, as a JSON file to keep."""
    data = export_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{EXPORT_FILENAME}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: AuthedRequest) -> HttpResponse:
    """Say what deleting keeps and erases; on the password, delete and sign out."""
    form = DeleteAccountForm(request, request.POST or None)
    reasons = reasons_to_wait(request.user)
    if request.method == "POST" and not reasons and form.is_valid():
        try:
            delete_account(request.user)
        except DeleteLater as refusal:  # e.g. became a circle's last organizer meanwhile
            messages.error(request, str(refusal))
            return redirect("accounts:account-delete")
        logout(request)
        messages.success(
            request, "Your account is deleted. Your comments stay in their threads, unsigned."
        )
        return redirect("home")
    context = {"form": form, "reasons": reasons}
    return render(request, "accounts/delete.html", context, status=refused(form))
