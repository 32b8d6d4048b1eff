from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .forms import ProfileForm
from .models import User


class AuthedRequest(HttpRequest):
    user: User


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request: AuthedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@login_required
@require_POST
def calendar_regenerate(request: AuthedRequest) -> HttpResponse:
    """A new secret calendar address; the old one stops working at once."""
    request.user.regenerate_calendar_token()
    messages.success(
        request, "Your calendar has a new address. Update it in your calendar program."
    )
    return redirect("accounts:settings")
