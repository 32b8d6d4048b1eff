"""A passage's page with all its threads (also the margin's thread panel, for htmx), a
thread's own page (for threads whose passage is gone) and a thread's anchor as a Web
Annotation."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.views.decorators.http import require_GET

from accounts.models import User
from discussions import permissions, review
from discussions.anchoring import BadAnchor, make_selector, to_web_annotation
from discussions.comments import (
    ThreadNode,
    absolutize_links,
    build_threads,
    count_comments,
)
from discussions.forms.comments import CommentForm, EditForm, ReattachForm, ReplyForm
from discussions.highlights import Highlight, highlight_html
from discussions.models import (
    AnchorStatus,
    Circle,
    Comment,
    CommentState,
)
from discussions.models.comments import CommentQuerySet
from discussions.templatetags.margin import time_ago
from discussions.views.reader import PK_MARK, ViewerRequest, chapter_url_for, passage_base_url
from readings.models import Passage, Reading
from readings.reader import KIND_MARKUP, reads_as_title


def get_passage_in_circle(circle: Circle, reading_slug: str, key: str) -> tuple[Reading, Passage]:
    passage = (
        Passage.objects.select_related("reading", "chapter")
        .filter(reading__slug=reading_slug, reading__circles=circle, key=key)
        .first()
    )
    if passage is None:
        raise Http404("No such passage in this circle's readings.")
    passage.chapter.reading = passage.reading
    return passage.reading, passage


def is_chapter_title(passage: Passage) -> bool:
    """Whether the chapter page shows `passage` as its title, the page's h1 (the rule is
    `readings.reader.chapter_passages`'s): one query (of the chapter's first passage's pk),
    for a heading that reads as the title only."""
    if not reads_as_title(passage, passage.chapter):
        return False
    first = Passage.objects.in_chapter(passage.chapter).values_list("pk", flat=True).first()
    return first == passage.pk


def _margin_context(
    request: ViewerRequest,
    circle: Circle,
    reading: Reading,
    comments: CommentQuerySet,
    *,
    url: str,
    reply_form: ReplyForm | None,
    reply_to: int | None,
    edit_form: EditForm | None,
    editing: int | None,
    focus: str,
) -> tuple[list[ThreadNode], dict]:
    """What a passage's panel and a thread's page share: the trees of `comments` (one query)
    as this reader sees them, with their links made from `url`, and the reply and edit forms.
    The caller adds `threads` and what is its own."""
    user = request.user
    comments = list(comments.visible_to(user).with_flagged_by(user))
    for comment in comments:
        comment.circle = circle
        comment.reading = reading
    review.mark_for_viewer(user, circle, comments, focus=focus)
    nodes = build_threads(comments, keep=review.kept_for_viewer)
    can_comment = permissions.can_comment(user, circle)
    if reply_to is not None and reply_form is None:
        reply_form = ReplyForm(initial={"parent": reply_to})
    if editing is not None and edit_form is None:
        target = next((c for c in comments if c.pk == editing), None)
        if target is None or not permissions.can_edit_comment(user, target):
            editing = None
        else:
            edit_form = EditForm(initial={"body": target.body})
    _prepare_nodes(
        nodes, user=user, slug=circle.slug, url=url, can_comment=can_comment, editing=editing
    )
    return nodes, {
        "circle": circle,
        "reading": reading,
        "passage_url": url,
        "passage_base": passage_base_url(circle, reading),
        "can_comment": can_comment,
        "is_banned": permissions.is_banned(user, circle),
        "is_moderator": permissions.is_moderator(user, circle),
        "reply_form": reply_form,
        "reply_to": reply_to,
        "edit_form": edit_form,
        "editing": editing,
        "focus": focus,
    }


def thread_panel_context(
    request: ViewerRequest,
    circle: Circle,
    passage: Passage,
    *,
    form: CommentForm | None = None,
    reply_form: ReplyForm | None = None,
    reply_to: int | None = None,
    edit_form: EditForm | None = None,
    editing: int | None = None,
    compose: bool = False,
    focus: str = "",
) -> dict:
    """Everything the thread panel shows: one query for all the passage's threads."""
    reading = passage.reading
    nodes, context = _margin_context(
        request,
        circle,
        reading,
        Comment.objects.threads_on(circle, reading, passage.key),
        url=reverse("discussions:passage", args=[circle.slug, reading.slug, passage.key]),
        reply_form=reply_form,
        reply_to=reply_to,
        edit_form=edit_form,
        editing=editing,
        focus=focus,
    )
    threads = [n for n in nodes if n.comment.anchor_status != AnchorStatus.ORPHANED]
    orphans = [n for n in nodes if n.comment.anchor_status == AnchorStatus.ORPHANED]
    chapter_url = chapter_url_for(circle)(passage.chapter)

    selection = None
    selection_error = ""
    if form is None and context["can_comment"]:
        initial = {}
        start, end = request.GET.get("start"), request.GET.get("end")
        if start is not None or end is not None:
            try:
                selection = make_selector(passage.text, _int(start), _int(end))
            except BadAnchor as error:
                selection_error = str(error)
            else:
                initial = {"start": selection.start, "end": selection.end}
                compose = True
        form = CommentForm(initial=initial)
    elif form is not None and form.is_bound:
        compose = True
        start, end = form.data.get("start") or None, form.data.get("end") or None
        try:
            selection = make_selector(passage.text, _int(start), _int(end))
        except BadAnchor:
            selection = None

    ranges = [
        Highlight(c.anchor_start, c.anchor_end, c.pk)
        for c in (node.comment for node in threads)
        if c.anchor_start is not None
    ]
    passage.display_html = highlight_html(passage.html, ranges) if ranges else passage.html
    passage.display_html = absolutize_links(passage.display_html, chapter_url)
    passage.comment_count = count_comments(threads)
    passage.label = KIND_MARKUP[passage.kind][2]
    context.update(
        chapter=passage.chapter,
        passage=passage,
        inner_tag=KIND_MARKUP[passage.kind][1],
        chapter_url=chapter_url,
        create_url=reverse(
            "discussions:comment-create", args=[circle.slug, reading.slug, passage.key]
        ),
        threads=threads,
        orphans=orphans,
        comment_count=passage.comment_count,
        form=form,
        compose=compose,
        selection=selection,
        selection_error=selection_error,
        reattach_form=ReattachForm(initial={"passage": passage.key}),
        draft_prefix=f"{circle.slug}:{reading.slug}:{passage.key}",
    )
    return context


def _url_for_pk(name: str, slug: str) -> Callable[[int], str]:
    """`pk → reverse(name, args=[slug, pk])`, reversed once: a panel may show hundreds."""
    before, after = reverse(name, args=[slug, PK_MARK]).rsplit(str(PK_MARK), 1)
    return lambda pk: f"{before}{pk}{after}"


def _prepare_nodes(
    nodes: list[ThreadNode],
    *,
    user: User | AnonymousUser,
    slug: str,
    url: str,
    can_comment: bool,
    editing: int | None,
) -> None:
    """Work out in Python, once per comment, what `_comment.html` shows: its links (its
    permalink on `url`, its annotation and delete URLs in the circle `slug`), its times and
    which actions this reader has (template tags per comment are the panel's main cost when
    a passage holds hundreds of comments)."""
    annotation_url = _url_for_pk("discussions:comment-annotation", slug)
    delete_url = _url_for_pk("discussions:comment-delete", slug)
    now = timezone.now()
    user_pk = user.pk if user.is_authenticated else None
    stack = list(nodes)
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        comment = node.comment
        pk = comment.pk
        node.permalink = f"{url}#c-{pk}"
        if node.depth == 0:
            node.annotation_url = annotation_url(pk)
        # Hidden comments their author and the moderators read in full (`review`) are shown.
        shown_in_full = getattr(comment, "shown_in_full", False)
        if node.is_gone and not shown_in_full:
            continue
        created = timezone.localtime(comment.created_at)
        node.time_iso = created.isoformat()
        # The `date:"j F Y, H:i"` filter, without parsing the format for every comment.
        node.time_title = f"{created.day} {MONTHS[created.month]} {created.year}, {created:%H:%M}"
        node.since = time_ago(comment.created_at, now)
        node.can_reply = can_comment and editing != pk and not shown_in_full
        node.is_own = (
            user_pk is not None
            and comment.author_id == user_pk
            and can_comment
            and not shown_in_full
        )
        if node.is_own:
            node.delete_url = delete_url(pk)


def _int(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadAnchor("The selection’s offsets must be whole numbers.") from None


def _pk_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@require_GET
def passage_detail(request: ViewerRequest, slug: str, reading_slug: str, key: str) -> HttpResponse:
    """A passage's page: its text and every thread on it. With HX-Request, only the panel."""
    circle = permissions.get_circle_for_viewer(request, slug)
    reading, passage = get_passage_in_circle(circle, reading_slug, key)
    context = thread_panel_context(
        request,
        circle,
        passage,
        reply_to=_pk_param(request, "reply"),
        editing=_pk_param(request, "edit"),
        compose=request.GET.get("compose") == "1",
    )
    if request.htmx:
        return render(request, "discussions/reader/passage.html#thread_panel", context)
    return render(request, "discussions/reader/passage.html", context)


# --- a thread on its own page -----------------------------------------------------------------


class GonePassage:
    """What the thread templates ask of a passage, for a thread whose passage is gone."""

    key = ""
    label = "passage"


def get_thread_in_circle(request: ViewerRequest, circle: Circle, pk: int) -> Comment:
    """A thread's first comment in `circle` (got through a `permissions` helper), with its
    reading and chapter; 404 as for any comment."""
    comment = permissions.get_comment_in_circle(request, circle, pk)
    if not comment.is_root:
        raise Http404("Not a thread.")
    return comment


def thread_context(
    request: ViewerRequest,
    circle: Circle,
    root: Comment,
    *,
    reply_form: ReplyForm | None = None,
    reply_to: int | None = None,
    edit_form: EditForm | None = None,
    editing: int | None = None,
    focus: str = "",
) -> dict:
    """What a thread's own page (and its panel) shows: one query for the thread's comments.

    The counterpart of `thread_panel_context` for one thread, needing no passage: its quote
    is the one stored with it. `threads` is empty when nothing of it is left to show.
    """
    reading = root.reading
    threads, context = _margin_context(
        request,
        circle,
        reading,
        Comment.objects.in_circle(circle)
        .in_thread(root.pk)
        .select_related("author")
        .order_by("created_at", "pk"),
        url=reverse("discussions:thread", args=[circle.slug, root.pk]),
        reply_form=reply_form,
        reply_to=reply_to,
        edit_form=edit_form,
        editing=editing,
        focus=focus,
    )
    chapter = root.chapter
    if chapter is not None:
        chapter.reading = reading
    context.update(
        chapter=chapter,
        chapter_url=chapter_url_for(circle)(chapter) if chapter else "",
        passage=GonePassage(),
        create_url=reverse("discussions:thread-reply", args=[circle.slug, root.pk]),
        threads=threads,
        comment_count=count_comments(threads),
        reattach_form=ReattachForm(),
        draft_prefix=f"{circle.slug}:{reading.slug}:thread-{root.pk}",
    )
    return context


@require_GET
def thread_detail(request: ViewerRequest, slug: str, pk: int) -> HttpResponse:
    """A thread on its own page: its stored quote, its replies, and for moderators the form
    to re-attach it. For threads whose passage is gone (a re-import dropped it); a thread
    whose passage is there lives on that passage's page, and a reply in its thread."""
    comment = permissions.get_comment_for_viewer(request, slug, pk)
    if not comment.is_root:
        return redirect(comment.get_absolute_url())
    if comment.passage_id is not None:
        return redirect(comment.get_absolute_url().replace("#c-", "#t-"))
    circle = comment.circle
    context = thread_context(
        request,
        circle,
        comment,
        reply_to=_pk_param(request, "reply"),
        editing=_pk_param(request, "edit"),
    )
    if not context["threads"]:
        raise Http404("This thread was deleted.")
    if request.htmx:
        return render(request, "discussions/reader/thread.html#thread_panel", context)
    return render(request, "discussions/reader/thread.html", context)


@require_GET
def comment_annotation(request: ViewerRequest, slug: str, pk: int) -> JsonResponse:
    """A thread's anchor as a W3C Web Annotation (JSON-LD), for `pk` its first comment or a
    reply in it.

    Served only to those who see both that comment and the thread's first comment in the
    margin (`review.shown_in_margin`): a hidden one to its author and the moderators, a
    deleted one while it keeps a place in the thread; others get 404. A deleted first
    comment gives only the place it was about (no creator, time or body), as its
    placeholder does.
    """
    comment = permissions.get_comment_for_viewer(request, slug, pk)
    circle = comment.circle
    root = comment if comment.is_root else comment.root
    root.circle = circle
    if not all(review.shown_in_margin(request.user, c) for c in {comment, root}):
        raise Http404("No comment here.")
    url = request.build_absolute_uri
    passage_url = url(
        reverse("discussions:passage", args=[circle.slug, root.reading.slug, root.passage_key])
    )
    data = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": url(reverse("discussions:comment-annotation", args=[circle.slug, root.pk])),
        "type": "Annotation",
        "motivation": "commenting",
    }
    if root.state != CommentState.DELETED:
        data["created"] = root.created_at.isoformat()
        data["creator"] = {"type": "Person", "name": root.author_name}
        data["body"] = {"type": "TextualBody", "format": "text/html", "value": root.body_html}
    data["target"] = to_web_annotation(root, passage_url)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    return response
