"""Writing in the margin: post a comment or a reply, edit, delete, see earlier versions,
re-attach a thread. Each is a plain form post that also works as an htmx request, which gets
the thread panel back (`discussions.panels`); a refused form answers 422 with the form again.

A thread whose passage is gone has no passage panel: it lives on its own page (see
`threads.thread_detail`), whose panel these views send back instead."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from accounts.http import AuthedRequest
from circles.models import Circle
from discussions import history, permissions
from discussions.anchoring import BadAnchor
from discussions.forms import CommentForm, EditForm, ReattachForm, ReplyForm
from discussions.models import Comment
from discussions.models.comments import CommentQuerySet
from discussions.panels import (
    panel_for,
    panel_response,
    passage_draft,
    passage_of,
    thread_context,
    thread_panel_context,
    thread_response,
)
from discussions.services import (
    CommentError,
    RateLimited,
    delete_comment,
    edit_comment,
    post_comment,
    reattach_thread,
)
from readings.models import Passage

REFUSED = 422


def _too_many(response: HttpResponse, refusal: RateLimited) -> HttpResponse:
    """`response` (the panel or page with the form as it was sent and the message in its
    alert) as a 429 with Retry-After (htmx swaps 429s in, as it does 422s: see base.html)."""
    response.status_code = 429
    response["Retry-After"] = str(refusal.retry_after)
    return response


def _parent(
    request: AuthedRequest, circle: Circle, comments: CommentQuerySet, pk: int
) -> Comment | None:
    """The comment `pk` among `circle`'s `comments`, if this person may reply to it."""
    parent = comments.select_related("root").filter(circle=circle, pk=pk).first()
    if parent is None:
        return None
    parent.circle = circle
    return parent if permissions.can_reply(request.user, parent) else None


def _posted(
    request: AuthedRequest, circle: Circle, passage: Passage, comment: Comment, key: str
) -> HttpResponse:
    """After a post: without JavaScript, back to the comment on its passage's page (built from
    what is loaded: nothing the redirect does not send); htmx gets the panel."""
    if not request.htmx:
        url = reverse("discussions:passage", args=[circle.slug, passage.reading.slug, passage.key])
        if comment.root_id:  # a reply is shown wherever it is (`Comment.get_absolute_url`)
            url = f"{url}?c={comment.pk}"
        return redirect(f"{url}#c-{comment.pk}")
    context = thread_panel_context(request, circle, passage, focus=f"c-{comment.pk}")
    response = panel_response(request, context)
    trigger_client_event(response, "margin:announce", {"text": _posted_text(comment)})
    return trigger_client_event(response, "margin:posted", {"key": key, "comment": comment.pk})


def _posted_text(comment: Comment) -> str:
    """What the margin's live region says after a post."""
    if comment.parent_id:
        return f"Your reply to {comment.parent.author_name} was posted."
    return "Your note was saved." if comment.is_private else "Your comment was posted."


@login_required
@require_POST
def comment_create(request: AuthedRequest, slug: str, reading_slug: str, key: str) -> HttpResponse:
    """A new thread on the passage (`start`/`end` for a phrase) or, with `parent`, a reply."""
    circle = permissions.get_circle_for_commenter(request, slug)
    passage = permissions.get_passage_in_circle(circle, reading_slug, key)
    reading = passage.reading
    parent_id = request.POST.get("parent") or None
    form = (ReplyForm if parent_id else CommentForm)(request.POST)
    refusal = None
    if form.is_valid():
        data = form.cleaned_data
        parent = None
        if data["parent"]:
            on_passage = Comment.objects.filter(reading=reading, passage_key=passage.key)
            parent = _parent(request, circle, on_passage, data["parent"])
            if parent is None:
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
            if parent is not None:
                draft = f"reply:{parent.pk}"
            else:
                draft = passage_draft(passage, data["start"], data["end"])
            return _posted(request, circle, passage, posted.comment, draft)
    if parent_id and parent_id.isdigit():
        context = thread_panel_context(
            request, circle, passage, reply_form=form, reply_to=int(parent_id)
        )
    else:
        context = thread_panel_context(request, circle, passage, form=form)
    response = panel_response(request, context, status=REFUSED)
    return response if refusal is None else _too_many(response, refusal)


@login_required
@require_POST
def thread_reply(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """A reply in a thread whose passage is gone, from the thread's own page (`parent` is any
    visible comment of the thread)."""
    circle = permissions.get_circle_for_commenter(request, slug)
    root = permissions.get_thread_in_circle(request, circle, pk)
    form = ReplyForm(request.POST)
    refusal = None
    if form.is_valid():
        in_thread = Comment.objects.in_thread(root.pk)
        parent = _parent(request, circle, in_thread, form.cleaned_data["parent"])
        if parent is None:
            raise Http404("No such comment in this thread.")
        try:
            posted = post_comment(
                circle=circle,
                passage=None,
                author=request.user,
                body=form.cleaned_data["body"],
                idempotency_key=form.cleaned_data["idempotency_key"],
                parent=parent,
            )
        except CommentError as error:
            form.add_error(None, str(error))
            refusal = error if isinstance(error, RateLimited) else None
        else:
            comment = posted.comment
            if not request.htmx:
                # Built from what is loaded: nothing read after the commit.
                comment.circle, comment.reading = circle, root.reading
                return redirect(comment.get_absolute_url())
            context = thread_context(request, circle, root, focus=f"c-{comment.pk}")
            response = thread_response(request, context)
            trigger_client_event(response, "margin:announce", {"text": _posted_text(comment)})
            draft = f"reply:{parent.pk}"
            return trigger_client_event(response, "margin:posted", {"key": draft})
    parent_id = form.data.get("parent") or ""
    context = thread_context(
        request,
        circle,
        root,
        reply_form=form,
        reply_to=int(parent_id) if parent_id.isdigit() else root.pk,
    )
    response = thread_response(request, context, status=REFUSED)
    return response if refusal is None else _too_many(response, refusal)


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """GET: the passage page with the edit form in place. POST: save (a revision is kept)."""
    comment = permissions.get_comment_for_author(request, slug, pk)
    passage = passage_of(comment)
    if passage is None and comment.passage_id is not None:
        raise Http404("No such passage in this circle's readings.")
    if request.method == "GET":
        return redirect(f"{passage_url(comment)}?edit={comment.pk}#c-{comment.pk}")
    form = EditForm(request.POST)
    if form.is_valid():
        try:
            edit_comment(comment, form.cleaned_data["body"])
        except CommentError as error:
            form.add_error("body", str(error))
        else:
            if not request.htmx:
                return redirect(comment.get_absolute_url())
            response = panel_for(request, comment, passage=passage, focus=f"c-{comment.pk}")
            trigger_client_event(response, "margin:announce", {"text": "Your edit was saved."})
            posted = {"key": f"edit:{comment.pk}"}
            if passage is not None:
                posted["comment"] = comment.pk
            return trigger_client_event(response, "margin:posted", posted)
    return panel_for(
        request, comment, status=REFUSED, passage=passage, edit_form=form, editing=comment.pk
    )


def passage_url(comment: Comment) -> str:
    """The page `comment` is on, without the query that opens its thread or its anchor."""
    return comment.get_absolute_url().split("#", 1)[0].split("?", 1)[0]


@login_required
@require_http_methods(["GET", "POST"])
def comment_delete(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """GET: a page that asks to confirm (the way without JavaScript; htmx asks in a dialog and
    posts). POST: delete."""
    comment = permissions.get_comment_for_author(request, slug, pk)
    if request.method == "GET":
        context = {"circle": comment.circle, "comment": comment, "back": passage_url(comment)}
        return render(request, "discussions/reader/delete.html", context)
    delete_comment(comment)
    if not request.htmx:
        return redirect(passage_url(comment))
    passage = passage_of(comment)
    if passage is None and comment.passage_id is not None:  # it left the circle's readings
        return HttpResponseClientRedirect(comment.circle.get_absolute_url())
    focus = f"c-{comment.root_id}" if comment.root_id else "thread-panel-title"
    response = panel_for(request, comment, passage=passage, focus=focus)
    return trigger_client_event(response, "margin:announce", {"text": "Your comment was deleted."})


@login_required
@require_GET
def comment_history(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """A comment's history, who made each change and why: for its author and the circle's
    moderators and organizers."""
    comment = permissions.get_comment_for_viewer(request, slug, pk)
    if not permissions.can_see_history(request.user, comment):
        raise PermissionDenied("Only its author and the circle's moderators can see its history.")
    return render(
        request,
        "discussions/reader/history.html",
        {"circle": comment.circle, "comment": comment, "revisions": history.revisions_of(comment)},
    )


@login_required
@require_POST
def comment_reattach(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """A moderator places a thread (usually an orphan) on new words."""
    comment = permissions.get_comment_for_viewer(request, slug, pk)
    if not permissions.can_reattach(request.user, comment.circle):
        raise PermissionDenied("Only the circle's moderators can re-attach a thread.")
    if not comment.is_root:
        raise Http404("Only a thread can be re-attached.")
    form = ReattachForm(request.POST)
    if form.is_valid():
        try:
            passage = permissions.get_passage_in_circle(
                comment.circle, comment.reading.slug, form.cleaned_data["passage"]
            )
            reattach_thread(comment, passage, form.cleaned_data["start"], form.cleaned_data["end"])
        except Http404:
            form.add_error(None, "There is no passage with that key in this reading.")
        except (BadAnchor, CommentError) as error:
            form.add_error(None, str(error))
        else:
            if request.htmx:
                return panel_for(request, comment, passage=passage, focus=f"t-{comment.pk}")
            return redirect(comment.get_absolute_url())
    return panel_for(request, comment, status=REFUSED, reattach_form=form, reattaching=comment.pk)
