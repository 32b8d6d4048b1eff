"""Writing in the margin: post a comment or a reply, edit, delete, see earlier versions,
re-attach a thread. Each is a plain form post that also works as an htmx request, which gets
the thread panel back (plus the passage's highlights and count, swapped out of band)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event
from django_htmx.middleware import HtmxDetails

from accounts.models import User
from discussions import permissions
from discussions.anchoring import BadAnchor
from discussions.comments import (
    CommentError,
    RateLimited,
    chapter_totals,
    delete_comment,
    edit_comment,
    post_comment,
    reattach_thread,
)
from discussions.forms.comments import CommentForm, EditForm, ReattachForm, ReplyForm
from discussions.models import Comment, CommentRevision
from discussions.views.reader import get_passage_in_circle, thread_panel_context


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


PANEL = "discussions/reader/passage.html"


def _panel_response(request: AuthedRequest, context: dict, *, status: int = 200) -> HttpResponse:
    """htmx: the thread panel and, out of band, the passage's highlighted text, its count and
    the chapter's totals. Without JavaScript: the whole passage page."""
    if request.htmx:
        response = render(request, f"{PANEL}#thread_panel", context)
        # The chapter page also shows the passage's count and the chapter's totals.
        current = request.htmx.current_url_abs_path or ""
        context["on_chapter"] = current.split("?")[0] == context["chapter_url"]
        if context["on_chapter"]:
            context["thread_total"], context["comment_total"] = chapter_totals(
                context["circle"], context["chapter"].pk, request.user
            )
        response.write(render(request, f"{PANEL}#passage_oob", context).content)
        return response
    return render(request, PANEL, context, status=status)


def _too_many(request: AuthedRequest, context: dict, refusal: RateLimited) -> HttpResponse:
    """429 with Retry-After: the panel (or page) with the form as it was sent and the message
    in its alert. htmx gets the status too (its config in base.html swaps 429s in)."""
    response = _panel_response(request, context, status=429)
    response.status_code = 429
    response["Retry-After"] = str(refusal.retry_after)
    return response


def _posted(request: AuthedRequest, context: dict, comment: Comment, key: str) -> HttpResponse:
    if not request.htmx:
        return redirect(comment.get_absolute_url())
    response = _panel_response(request, context)
    return trigger_client_event(response, "margin:posted", {"key": key, "comment": comment.pk})


@login_required
@require_POST
def comment_create(request: AuthedRequest, slug: str, reading_slug: str, key: str) -> HttpResponse:
    """A new thread on the passage (`start`/`end` for a phrase) or, with `parent`, a reply."""
    circle = permissions.get_circle_for_commenter(request, slug)
    reading, passage = get_passage_in_circle(circle, reading_slug, key)
    parent_id = request.POST.get("parent") or None
    form = (ReplyForm if parent_id else CommentForm)(request.POST)
    refusal = None
    if form.is_valid():
        data = form.cleaned_data
        parent = None
        if data["parent"]:
            parent = (
                Comment.objects.select_related("root")
                .filter(circle=circle, reading=reading, passage_key=passage.key, pk=data["parent"])
                .first()
            )
            if parent is None or not permissions.can_reply(request.user, parent):
                raise Http404("No such comment here.")
        try:
            posted = post_comment(
                circle=circle,
                passage=passage,
                author=request.user,
                body=data["body"],
                idempotency_key=data["idempotency_key"],
                start=data["start"],
                end=data["end"],
                is_private=data["is_private"],
                parent=parent,
            )
        except (BadAnchor, CommentError) as error:
            form.add_error(None, str(error))
            refusal = error if isinstance(error, RateLimited) else None
        else:
            context = thread_panel_context(request, circle, passage, focus=f"c-{posted.comment.pk}")
            draft = f"{passage.key}:{parent.pk if parent else ''}"
            return _posted(request, context, posted.comment, draft)
    if parent_id and parent_id.isdigit():
        context = thread_panel_context(
            request, circle, passage, reply_form=form, reply_to=int(parent_id)
        )
    else:
        context = thread_panel_context(request, circle, passage, form=form)
    if refusal is not None:
        return _too_many(request, context, refusal)
    return _panel_response(request, context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """GET: the passage page with the edit form in place. POST: save (a revision is kept)."""
    comment = permissions.get_comment_for_author(request, slug, pk)
    reading, passage = get_passage_in_circle(
        comment.circle, comment.reading.slug, comment.passage_key
    )
    if request.method == "GET":
        return redirect(f"{passage_url(comment)}?edit={comment.pk}#c-{comment.pk}")
    form = EditForm(request.POST)
    if form.is_valid():
        try:
            edit_comment(comment, form.cleaned_data["body"])
        except CommentError as error:
            form.add_error("body", str(error))
        else:
            context = thread_panel_context(
                request, comment.circle, passage, focus=f"c-{comment.pk}"
            )
            return _posted(request, context, comment, f"edit:{comment.pk}")
    context = thread_panel_context(
        request, comment.circle, passage, edit_form=form, editing=comment.pk
    )
    return _panel_response(request, context, status=400)


def passage_url(comment: Comment) -> str:
    return comment.get_absolute_url().split("#", 1)[0]


@login_required
@require_POST
def comment_delete(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    comment = permissions.get_comment_for_author(request, slug, pk)
    delete_comment(comment)
    url = passage_url(comment)
    try:
        reading, passage = get_passage_in_circle(
            comment.circle, comment.reading.slug, comment.passage_key
        )
    except Http404:
        return redirect(url)
    if not request.htmx:
        return redirect(url)
    focus = f"c-{comment.root_id}" if comment.root_id else "thread-panel-title"
    return _panel_response(
        request, thread_panel_context(request, comment.circle, passage, focus=focus)
    )


@login_required
@require_GET
def comment_history(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Earlier versions of a comment, for the circle's moderators and organizers."""
    comment = permissions.get_comment_for_moderator(request, slug, pk)
    revisions = CommentRevision.objects.filter(comment=comment).order_by("-created_at")
    return render(
        request,
        "discussions/reader/history.html",
        {"circle": comment.circle, "comment": comment, "revisions": revisions},
    )


@login_required
@require_POST
def comment_reattach(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """A moderator places a thread (usually an orphan) on new words."""
    comment = permissions.get_comment_for_moderator(request, slug, pk)
    if not comment.is_root:
        raise Http404("Only a thread can be re-attached.")
    form = ReattachForm(request.POST)
    if form.is_valid():
        reading, passage = get_passage_in_circle(
            comment.circle, comment.reading.slug, form.cleaned_data["passage"]
        )
        try:
            reattach_thread(comment, passage, form.cleaned_data["start"], form.cleaned_data["end"])
        except (BadAnchor, CommentError) as error:
            form.add_error(None, str(error))
        else:
            if request.htmx:
                context = thread_panel_context(
                    request, comment.circle, passage, focus=f"t-{comment.pk}"
                )
                return _panel_response(request, context)
            return redirect(comment.get_absolute_url())
    reading, passage = get_passage_in_circle(
        comment.circle, comment.reading.slug, comment.passage_key
    )
    context = thread_panel_context(request, comment.circle, passage)
    context["reattach_form"] = form
    context["reattaching"] = comment.pk
    return _panel_response(request, context, status=400)
