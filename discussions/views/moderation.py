"""Keeping a circle healthy on the site: members flag comments; the circle's moderators and
organizers hide, restore, review flags and ban, in the thread panel or on the circle's
moderation page. Every action goes through `discussions.moderation`, which logs it.

The thread panel's actions are form posts that also work as htmx requests: htmx gets the
panel back with a note at the comment acted on; without JavaScript, the browser goes back
where it came from (`next`, or the passage's page) and the note is a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from accounts.http import AuthedRequest
from circles.models import LastOrganizer, Membership, MembershipState
from discussions import permissions, review
from discussions.forms import BanForm, FlagForm, HideForm, ResolveForm
from discussions.models import Comment, Flag, FlagResolution, ModerationEvent
from discussions.moderation import (
    ModerationError,
    ban_member,
    flag_comment,
    hide_comment,
    resolve_flags,
    restore_comment,
    unban_member,
)
from discussions.panels import panel_for

LOG_PAGE_SIZE = 25
REFUSED = 422


def _next_url(request: AuthedRequest, comment: Comment) -> str:
    """Where a no-JS form goes back to: a safe `next`, else the comment on its passage page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return comment.get_absolute_url()


def _panel(request: AuthedRequest, comment: Comment, **extra) -> HttpResponse:
    """The thread panel of `comment`'s passage (htmx), focused on the comment. The passage is
    the one with its key, so an orphan whose passage is still there shows in that panel."""
    try:
        passage = permissions.get_passage_in_circle(
            comment.circle, comment.reading.slug, comment.passage_key
        )
    except Http404:  # an orphan whose passage is gone: no panel to show it in
        return HttpResponseClientRedirect(_next_url(request, comment))
    extra.setdefault("focus", f"c-{comment.pk}")
    return panel_for(request, comment, passage=passage, **extra)


def _done(request: AuthedRequest, comment: Comment, text: str, *, error: bool = False, **extra):
    """After an action: htmx gets the panel with `text` at the comment (status 200, so htmx
    swaps it in even for a refusal); a plain post goes back with `text` as a message."""
    if request.htmx:
        response = _panel(
            request, comment, notice={"pk": comment.pk, "text": text, "error": error}, **extra
        )
        if not error:  # the margin's one polite live region says it (errors are alerts)
            trigger_client_event(response, "margin:announce", {"text": text})
        return response
    (messages.error if error else messages.success)(request, text)
    return redirect(_next_url(request, comment))


# --- members flag ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def comment_flag(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """GET: the flag form (in the thread panel for htmx, its own page otherwise). POST: flag."""
    comment = permissions.get_comment_for_flagging(request, slug, pk)
    form = FlagForm(request.POST or None, auto_id=f"flag-{comment.pk}-%s")
    if form.is_valid():
        try:
            flag_comment(
                comment, request.user, form.cleaned_data["reason"], form.cleaned_data["note"]
            )
        except ModerationError as error:
            form.add_error(None, str(error))
        else:
            return _done(
                request,
                comment,
                "You flagged this comment. Thank you: the circle’s moderators will review it.",
            )
    if request.htmx:
        return _panel(
            request,
            comment,
            flagging=comment.pk,
            flag_form=form,
            focus=f"flag-{comment.pk}-reason_0",
        )
    already = Flag.objects.filter(comment=comment, reporter=request.user).first()
    context = {
        "circle": comment.circle,
        "comment": comment,
        "form": form,
        "already": already,
        "back_url": _next_url(request, comment),
    }
    return render(
        request, "discussions/moderation/flag.html", context, status=REFUSED if form.errors else 200
    )


# --- moderators act on a comment ---------------------------------------------------------------


@login_required
@require_POST
def comment_hide(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    comment = permissions.get_comment_for_moderator(request, slug, pk)
    form = HideForm(request.POST)
    if not form.is_valid():
        return _done(request, comment, form.errors["reason"][0], error=True, hiding=comment.pk)
    try:
        hide_comment(comment, request.user, form.cleaned_data["reason"])
    except ModerationError as error:
        return _done(request, comment, str(error), error=True)
    return _done(
        request,
        comment,
        "Comment hidden. Members see that a moderator hid it; its author also sees your reason.",
    )


@login_required
@require_POST
def comment_restore(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    comment = permissions.get_comment_for_moderator(request, slug, pk)
    try:
        restore_comment(comment, request.user, request.POST.get("reason", ""))
    except ModerationError as error:
        return _done(request, comment, str(error), error=True)
    return _done(request, comment, "Comment restored: everyone can read it again.")


@login_required
@require_POST
def comment_flags_resolve(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Review a comment's open flags: keep it (shown again if flags hid it) or hide it."""
    comment = permissions.get_comment_for_moderator(request, slug, pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return _done(request, comment, next(iter(form.errors.values()))[0], error=True)
    resolution = form.cleaned_data["resolution"]
    try:
        resolve_flags(comment, request.user, resolution, form.cleaned_data["reason"])
    except ModerationError as error:
        return _done(request, comment, str(error), error=True)
    if resolution == FlagResolution.KEPT:
        return _done(request, comment, "Flags resolved: the comment stays.")
    return _done(request, comment, "Flags resolved: the comment is hidden.")


# --- the circle's moderation page --------------------------------------------------------------


@login_required
@require_GET
def circle_moderation(request: AuthedRequest, slug: str) -> HttpResponse:
    """Open flags first (oldest first), then hidden comments, deleted comments, banned
    members, and the log."""
    circle = permissions.get_circle_for_moderator(request, slug)
    events = ModerationEvent.objects.filter(circle=circle).select_related(
        "actor", "target_user", "comment__author", "comment__reading"
    )
    log_page = Paginator(events, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    for event in log_page:
        if event.comment is not None:
            event.comment.circle = circle
    people = permissions.bannable_members(request.user, circle)
    banned = list(
        Membership.objects.filter(circle=circle, state=MembershipState.BANNED)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )
    context = {
        "circle": circle,
        "queue": review.open_flag_queue(circle),
        "hidden": review.hidden_comments(circle),
        "deleted": review.deleted_comments(circle),
        "banned": banned,
        "log_page": log_page,
        "ban_form": BanForm(people=people, auto_id="ban-%s"),
        "bannable": {person.pk for person in people},
        "here": request.get_full_path(),
    }
    return render(request, "discussions/moderation/circle.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_ban(request: AuthedRequest, slug: str) -> HttpResponse:
    """GET (`?user=<id>` to pick someone): confirm with a reason. POST: ban."""
    circle = permissions.get_circle_for_moderator(request, slug)
    people = permissions.bannable_members(request.user, circle)
    chosen = request.GET.get("user", "")
    form = BanForm(request.POST or None, people=people, initial={"user": chosen})
    if form.is_valid():
        person = form.cleaned_data["user"]
        try:
            ban_member(circle, person, request.user, form.cleaned_data["reason"])
        except (ModerationError, LastOrganizer) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"{person.name} is banned from “{circle.name}”. The log says why."
            )
            return redirect("discussions:moderation", circle.slug)
    target = form.people.get(int(chosen)) if chosen.isdigit() else None
    context = {"circle": circle, "form": form, "target": target}
    return render(
        request, "discussions/moderation/ban.html", context, status=REFUSED if form.errors else 200
    )


@login_required
@require_POST
def member_unban(request: AuthedRequest, slug: str, user_pk: int) -> HttpResponse:
    circle = permissions.get_circle_for_moderator(request, slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user"),
        circle=circle,
        user_id=user_pk,
        state=MembershipState.BANNED,
    )
    try:
        unban_member(circle, membership.user, request.user, request.POST.get("reason", ""))
    except ModerationError as error:  # lifted meanwhile by someone else
        messages.info(request, str(error))
    else:
        messages.success(request, f"{membership.user.name} is a member of “{circle.name}” again.")
    return redirect(reverse("discussions:moderation", args=[circle.slug]) + "#banned-heading")
