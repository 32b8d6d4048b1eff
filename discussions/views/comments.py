"""Writing in the margin: post a comment or a reply, edit, delete, see earlier versions,
re-attach a thread. Each is a plain form post that also works as an htmx request, which gets
the thread panel back (plus the passage's highlights and count, swapped out of band).

A thread whose passage is gone has no passage panel: it lives on its own page (see
`threads.thread_detail`), whose panel these views send back instead."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event
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
from discussions.models import Circle, Comment, CommentRevision
from discussions.models.comments import CommentQuerySet
from discussions.views.threads import (
    get_passage_in_circle,
    get_thread_in_circle,
    is_chapter_title,
    thread_context,
    thread_panel_context,
)
from readings.models import Passage


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


PANEL = "discussions/reader/passage.html"
THREAD_PAGE = "discussions/reader/thread.html"


def _on_chapter(request: AuthedRequest, context: dict) -> bool:
    """Whether an htmx request comes from the chapter page (which also shows the passage's
    count and the chapter's totals); if so, put the totals in `context`."""
    current = request.htmx.current_url_abs_path or ""
    on_chapter = bool(context["chapter_url"]) and current.split("?")[0] == context["chapter_url"]
    if on_chapter:
        context["thread_total"], context["comment_total"] = chapter_totals(
            context["circle"], context["chapter"].pk, request.user
        )
    context["on_chapter"] = on_chapter
    return on_chapter


def _panel_response(request: AuthedRequest, context: dict, *, status: int = 200) -> HttpResponse:
    """htmx: the thread panel and, out of band, the passage's highlighted text, its count and
    the chapter's totals. Without JavaScript: the whole passage page."""
    if request.htmx:
        response = render(request, f"{PANEL}#thread_panel", context)
        # The chapter shows its title passage as the page's h1: its text swaps in as one.
        if _on_chapter(request, context):
            context["is_title"] = is_chapter_title(context["passage"])
        response.write(render(request, f"{PANEL}#passage_oob", context).content)
        return response
    return render(request, PANEL, context, status=status)


def _thread_response(request: AuthedRequest, context: dict, *, status: int = 200) -> HttpResponse:
    """`_panel_response` for a thread whose passage is gone: its own page, or its panel."""
    if request.htmx:
        response = render(request, f"{THREAD_PAGE}#thread_panel", context)
        if _on_chapter(request, context):
            response.write(render(request, f"{THREAD_PAGE}#thread_oob", context).content)
        return response
    return render(request, THREAD_PAGE, context, status=status)


def _passage_of(comment: Comment) -> Passage | None:
    """The passage `comment`'s thread is on, or None once it is gone."""
    if comment.passage_id is None:
        return None
    try:
        return get_passage_in_circle(comment.circle, comment.reading.slug, comment.passage_key)[1]
    except Http404:
        return None


def _thread_root(comment: Comment) -> Comment:
    root = comment if comment.is_root else comment.root
    root.circle = comment.circle
    root.reading = comment.reading
    return root


def panel_for(
    request: AuthedRequest,
    comment: Comment,
    *,
    status: int = 200,
    passage: Passage | None = None,
    focus: str = "",
    edit_form: EditForm | None = None,
    editing: int | None = None,
    **extra,
) -> HttpResponse:
    """The margin `comment` is in, after a write or a refusal: its passage's thread panel
    (`_panel_response`), or for a thread whose passage is gone, the thread's own
    (`_thread_response`); 404 if its passage has left the circle's readings.

    `passage` is the passage whose panel to show if the caller has it (else `comment`'s is
    looked up); `focus`, `edit_form` and `editing` go to the context's builder, `extra` into
    the context."""
    if passage is None:
        passage = _passage_of(comment)
    if passage is None and comment.passage_id is not None:
        raise Http404("No such passage in this circle's readings.")
    shown = {"focus": focus, "edit_form": edit_form, "editing": editing}
    if passage is None:
        context = thread_context(request, comment.circle, _thread_root(comment), **shown)
        context.update(extra)
        return _thread_response(request, context, status=status)
    context = thread_panel_context(request, comment.circle, passage, **shown)
    context.update(extra)
    return _panel_response(request, context, status=status)


def _too_many(response: HttpResponse, refusal: RateLimited) -> HttpResponse:
    """`response` (the panel or page with the form as it was sent and the message in its
    alert) as a 429 with Retry-After. htmx gets the status too (its config in base.html swaps
    429s in)."""
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
            context = thread_panel_context(request, circle, passage, focus=f"c-{posted.comment.pk}")
            draft = f"{passage.key}:{parent.pk if parent else ''}"
            return _posted(request, context, posted.comment, draft)
    if parent_id and parent_id.isdigit():
        context = thread_panel_context(
            request, circle, passage, reply_form=form, reply_to=int(parent_id)
        )
    else:
        context = thread_panel_context(request, circle, passage, form=form)
    response = _panel_response(request, context, status=400)
    return response if refusal is None else _too_many(response, refusal)


@login_required
@require_POST
def thread_reply(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """A reply in a thread whose passage is gone, from the thread's own page (`parent` is any
    visible comment of the thread)."""
    circle = permissions.get_circle_for_commenter(request, slug)
    root = get_thread_in_circle(request, circle, pk)
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
                return redirect(comment.get_absolute_url())
            context = thread_context(request, circle, root, focus=f"c-{comment.pk}")
            response = _thread_response(request, context)
            draft = f"thread-{root.pk}:{parent.pk}"
            return trigger_client_event(response, "margin:posted", {"key": draft})
    parent_id = form.data.get("parent") or ""
    context = thread_context(
        request,
        circle,
        root,
        reply_form=form,
        reply_to=int(parent_id) if parent_id.isdigit() else root.pk,
    )
    response = _thread_response(request, context, status=400)
    return response if refusal is None else _too_many(response, refusal)


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """GET: the passage page with the edit form in place. POST: save (a revision is kept)."""
    comment = permissions.get_comment_for_author(request, slug, pk)
    passage = _passage_of(comment)
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
            posted = {"key": f"edit:{comment.pk}"}
            if passage is not None:
                posted["comment"] = comment.pk
            return trigger_client_event(response, "margin:posted", posted)
    return panel_for(
        request, comment, status=400, passage=passage, edit_form=form, editing=comment.pk
    )


def passage_url(comment: Comment) -> str:
    return comment.get_absolute_url().split("#", 1)[0]


@login_required
@require_POST
def comment_delete(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    comment = permissions.get_comment_for_author(request, slug, pk)
    delete_comment(comment)
    if not request.htmx:
        return redirect(passage_url(comment))
    passage = _passage_of(comment)
    if passage is None and comment.passage_id is not None:  # it left the circle's readings
        return HttpResponseClientRedirect(comment.circle.get_absolute_url())
    focus = f"c-{comment.root_id}" if comment.root_id else "thread-panel-title"
    return panel_for(request, comment, passage=passage, focus=focus)


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
        try:
            reading, passage = get_passage_in_circle(
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
    return panel_for(request, comment, status=400, reattach_form=form, reattaching=comment.pk)
