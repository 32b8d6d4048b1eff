"""A person's notifications: the list, opening one, marking read, email choices, and the
one-click way to stop a kind of email.

No GET changes anything. Opening a notification from the list is a POST (its headline is a
form's button, `notifications/<pk>/`) that marks it read and redirects to what it is about; a
GET of the same address (an old link, a bookmark) only redirects. Every write is a POST with
CSRF.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthedRequest, refused
from accounts.models import User
from discussions import horizon

from . import emails
from .forms import NotificationSettingsForm
from .models import Frequency, Notification, mark_folded
from .permissions import get_notification_for_recipient

PER_PAGE = 20


@login_required
@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    """Newest first, unread ones marked (in words, not only by colour). The words of a
    comment on a chapter beyond the reader's horizon are folded (`discussions.horizon`), with
    a link to show them anyway (the list with `?spoilers=show`)."""
    notifications = Notification.objects.for_user(request.user).for_display()
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    shown_anyway = horizon.asked_to_show(request)
    page.object_list = list(page.object_list)
    mark_folded(page.object_list, request.user, show=shown_anyway)
    context = {
        "page": page,
        "shown_anyway": shown_anyway,
        "show_url": horizon.url_with(request, show=True),
        "fold_url": horizon.url_with(request, show=False),
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Go to what one of my notifications is about; a POST (the list's headline) also marks it
    read (see the docstring)."""
    notification = get_notification_for_recipient(request, pk)
    if request.method == "POST" and notification.is_unread:
        Notification.objects.filter(pk=notification.pk).mark_read()
    return redirect(notification.target_url)


@login_required
@require_POST
def notification_read(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = get_notification_for_recipient(request, pk)
    Notification.objects.filter(pk=notification.pk).mark_read()
    return redirect(_list_url(request.POST.get("page")))


@login_required
@require_POST
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    marked = Notification.objects.for_user(request.user).mark_read(timezone.now())
    if marked:
        messages.success(request, f"{marked} notification{'s' if marked != 1 else ''} marked read.")
    return redirect(_list_url(request.POST.get("page")))


def _list_url(page: str | None) -> str:
    url = reverse("notifications:notification-list")
    return f"{url}?page={int(page)}" if page and page.isdigit() and int(page) > 1 else url


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: AuthedRequest) -> HttpResponse:
    """How each kind of news reaches me by email; the list in the app always has everything.
    Two buttons set every kind at once: all off, or all in the digest."""
    every = request.POST.get("all")
    if every in (Frequency.NEVER, Frequency.DIGEST):
        NotificationSettingsForm.all_set_to(request.user, every)
        if every == Frequency.NEVER:
            messages.success(request, "No more emails: everything stays in your notifications.")
        else:
            messages.success(request, "Everything that can wait now comes in one daily digest.")
        return redirect("notifications:notification-settings")
    form = NotificationSettingsForm(request.user, request.POST or None)
    if form.is_valid():
        form.save()
        messages.success(request, "Your email choices are saved.")
        return redirect("notifications:notification-settings")
    return render(request, "notifications/settings.html", {"form": form}, status=refused(form))


@csrf_exempt  # the signed token is the credential; mail programs POST here (RFC 8058)
@require_http_methods(["GET", "POST"])
def email_stop(request: HttpRequest, token: str) -> HttpResponse:
    """A one-click way to stop one kind of email: GET asks, POST stops."""
    try:
        user, kind = emails.read_stop_token(token)
    except (signing.BadSignature, User.DoesNotExist):
        raise Http404("This link is not valid.") from None
    stopped = request.method == "POST"
    if stopped:
        emails.stop(user, kind)
    return render(
        request,
        "notifications/email_stop.html",
        {"kind_label": emails.stop_label(kind), "stopped": stopped, "email": user.email},
    )
