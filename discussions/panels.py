"""The margin's panels: what a passage's thread panel and a thread's own page show, and the
responses the margin's writes send back.

A passage's panel (`thread_panel_context`) holds every thread on the passage (one query for
all of them); a thread whose passage is gone (a re-import dropped it) has a page and a panel
of its own (`thread_context`), which need no passage: its quote is the one stored with it.
After a write, `panel_for` answers with the panel the comment is in: htmx gets the panel and,
out of band, the passage's highlighted text, count and the chapter's totals; a browser
without JavaScript gets the whole page.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape

from accounts.http import ViewerRequest
from accounts.models import User
from circles.models import Circle, Membership
from circles.models.meetings import session_label
from readings.models import Passage, Reading
from readings.reader import KIND_MARKUP, reads_as_title

from . import permissions, review
from .agenda import sessions_to_come
from .anchoring import BadAnchor, make_selector
from .forms import CommentForm, EditForm, ReattachForm, ReplyForm
from .highlights import Highlight, describe_highlights, highlight_html
from .links import chapter_url_for, passage_base_url, url_maker
from .margin import chapter_totals
from .models import AgendaItem, AnchorStatus, Comment, CommentState, RaiseMark
from .models.comments import CommentQuerySet
from .templatetags.margin import time_ago
from .thread_pages import (
    REPLIES_PER_PAGE,
    passage_comment_count,
    passage_threads,
    thread_comment_count,
    thread_comments,
)
from .threads import ThreadNode, build_threads, count_comments

_HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")', re.IGNORECASE)


def absolutize_links(html: str, base_url: str) -> str:
    """Resolve relative links in passage HTML (`../7/#note-1`, `#note-2`) against the chapter
    URL they were written for, so they work on a page at another address."""

    def resolve(match: re.Match) -> str:
        href = unescape(match.group(2))
        if re.match(r"^[a-z][a-z0-9+.\-]*:|^//|^/", href, re.IGNORECASE):
            return match.group(0)
        return match.group(1) + escape(urljoin(base_url, href)) + match.group(3)

    return _HREF.sub(resolve, html)


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
    comments: list[Comment],
    *,
    url: str,
    reply_form: ReplyForm | None,
    reply_to: int | None,
    edit_form: EditForm | None,
    editing: int | None,
    focus: str,
    partial: bool = False,
) -> tuple[list[ThreadNode], dict]:
    """What a passage's panel and a thread's page share: the trees of `comments` (loaded
    `visible_to`, `with_flagged_by` and `with_agenda` for this reader) as this reader sees
    them, with their links made from `url`, and the reply and edit forms. The caller adds
    `threads` and what is its own."""
    user = request.user
    for comment in comments:
        comment.circle = circle
        comment.reading = reading
        if getattr(comment, "discussed_meeting", None):  # a thread's first comment's
            comment.discussed_label = session_label(comment.discussed_title)
    review.mark_for_viewer(user, circle, comments, focus=focus)
    nodes = build_threads(comments, keep=review.kept_for_viewer, partial=partial)
    flags = permissions.viewer_flags(user, circle)
    can_comment = flags["can_comment"]
    if reply_to is not None and reply_form is None:
        reply_form = ReplyForm(initial={"parent": reply_to})
    if editing is not None and edit_form is None:
        target = next((c for c in comments if c.pk == editing), None)
        if target is None or not permissions.can_edit_comment(user, target):
            editing = None
        else:
            edit_form = EditForm(initial={"body": target.body})
    _prepare_nodes(
        nodes,
        user=user,
        slug=circle.slug,
        url=url,
        can_comment=can_comment,
        editing=editing,
        moderator=flags["is_moderator"],
    )
    return nodes, {
        "circle": circle,
        "reading": reading,
        "passage_url": url,
        "passage_base": passage_base_url(circle, reading),
        **flags,
        "reply_form": reply_form,
        "reply_to": reply_to,
        "edit_form": edit_form,
        "editing": editing,
        "focus": focus,
    }


def with_agenda(comments: CommentQuerySet, user) -> CommentQuerySet:
    """Annotate what a thread shows of the sessions' agendas (`discussions.agenda`), in the
    same query: `raise_count`, `raised_by_viewer`, `raisable` (a session to come covers its
    chapter), and the session it was last discussed at (`discussed_meeting`, its title)."""
    members = Membership.objects.active().filter(circle_id=OuterRef(OuterRef("circle_id")))
    marks = (
        RaiseMark.objects.filter(thread=OuterRef("pk"), user_id__in=members.values("user_id"))
        .order_by()
        .values("thread")
    )
    discussed = AgendaItem.objects.filter(
        thread=OuterRef("pk"), discussed_at__isnull=False
    ).order_by("-meeting__starts_at")
    mine = (
        Exists(RaiseMark.objects.filter(thread=OuterRef("pk"), user=user))
        if user.is_authenticated
        else Value(False)
    )
    return comments.annotate(
        raise_count=Coalesce(Subquery(marks.annotate(n=Count("pk")).values("n")[:1]), 0),
        raised_by_viewer=mine,
        raisable=Exists(sessions_to_come()),
        discussed_meeting=Subquery(discussed.values("meeting_id")[:1]),
        discussed_title=Subquery(discussed.values("meeting__title")[:1]),
    )


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
    page: int = 1,
    expand: int | None = None,
    replies_from: int = 0,
    show: int | None = None,
) -> dict:
    """Everything the thread panel shows: page `page` of the passage's threads, or with
    `expand` that one thread, its replies from the `replies_from`th
    (`discussions.thread_pages`). The comment the panel is about (`show`, `reply_to`,
    `editing`, or a `focus` of `c-<pk>`) is shown wherever it is."""
    reading = passage.reading
    url = reverse("discussions:passage", args=[circle.slug, reading.slug, passage.key])
    found = passage_threads(
        circle,
        passage,
        request.user,
        page=page,
        expand=expand,
        replies_from=replies_from,
        include=show or reply_to or editing or _comment_pk(focus),
        prepare=lambda comments: with_agenda(comments, request.user),
    )
    nodes, context = _margin_context(
        request,
        circle,
        reading,
        found.comments,
        url=url,
        reply_form=reply_form,
        reply_to=reply_to,
        edit_form=edit_form,
        editing=editing,
        focus=focus,
        partial=True,
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
        Highlight(node.comment.anchor_start, node.comment.anchor_end, node.comment.pk, count)
        for node, count in ((node, count_comments([node])) for node in threads)
        # Deleted threads moderators still see in the panel are no highlight in the text.
        if node.comment.anchor_start is not None
        and (count or node.comment.state != CommentState.DELETED)
    ]
    passage.display_html = highlight_html(passage.html, ranges) if ranges else passage.html
    passage.highlight_notes = describe_highlights(ranges, len(passage.text)) if ranges else ""
    passage.display_html = absolutize_links(passage.display_html, chapter_url)
    passage.comment_count = passage_comment_count(circle, passage, request.user)
    passage.label = KIND_MARKUP[passage.kind][2]
    for node in nodes:
        node.more_replies = found.more_replies.get(node.comment.pk, 0)
        node.thread_url = f"{url}?thread={node.comment.pk}"
        for reply in _descendants(node):  # a reply's link shows it wherever it is
            reply.permalink = f"{url}?c={reply.comment.pk}#c-{reply.comment.pk}"
    next_page = found.number + 1 if found.has_next else None
    thread_url = f"{url}?thread={found.expanded}" if found.expanded else ""
    context.update(
        thread_page=found.number,
        next_page_url=f"{url}?page={next_page}" if next_page else "",
        previous_page_url=(f"{url}?page={found.number - 1}" if found.number > 2 else url)
        if found.number > 1
        else "",
        expanded=found.expanded,
        earlier_replies_url=(
            f"{thread_url}&from={max(found.replies_from - REPLIES_PER_PAGE, 0)}"
            if found.replies_from
            else ""
        ),
        later_replies_url=f"{thread_url}&from={found.replies_next}" if found.replies_next else "",
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
        draft_target=passage_draft(
            passage, selection.start if selection else None, selection.end if selection else None
        ),
        draft_url=_draft_url(context["passage_url"], selection),
    )
    return context


def _comment_pk(focus: str) -> int | None:
    """The comment (`c-<pk>`) or thread (`t-<pk>`) a `focus` names."""
    value = focus[2:]
    return int(value) if focus[:2] in ("c-", "t-") and value.isdigit() else None


def _descendants(node: ThreadNode) -> list[ThreadNode]:
    found, stack = [], list(node.children)
    while stack:
        child = stack.pop()
        found.append(child)
        stack.extend(child.children)
    return found


def passage_draft(passage: Passage, start: int | None, end: int | None) -> str:
    """What a new comment's draft is kept under (`static/js/drafts.js`): its passage, and
    the exact selection when it is on words, so a draft comes back under those words only."""
    target = f"p:{passage.reading.slug}:{passage.key}"
    return target if start is None or end is None else f"{target}:{start}-{end}"


def _draft_url(passage_url: str, selection) -> str:
    """The address that opens the new-comment form a draft was typed in."""
    if selection is not None and selection.start is not None:
        return f"{passage_url}?start={selection.start}&end={selection.end}"
    return f"{passage_url}?compose=1"


def _prepare_nodes(
    nodes: list[ThreadNode],
    *,
    user: User | AnonymousUser,
    slug: str,
    url: str,
    can_comment: bool,
    editing: int | None,
    moderator: bool = False,
) -> None:
    """Work out in Python, once per comment, what `_comment.html` shows: its links (its
    permalink on `url`, its annotation and delete URLs in the circle `slug`), its times and
    which actions this reader has (template tags per comment are the panel's main cost when
    a passage holds hundreds of comments)."""
    if not nodes:
        return
    sample = nodes[0].comment.pk
    annotation_url = url_maker("discussions:comment-annotation", slug, sample)
    delete_url = url_maker("discussions:comment-delete", slug, sample)
    history_url = url_maker("discussions:comment-history", slug, sample)
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
        # Its history, for its author and the moderators, once it has changed.
        changed = comment.edited_at is not None or comment.state != CommentState.VISIBLE
        own = user_pk is not None and comment.author_id == user_pk
        node.history_url = history_url(pk) if changed and (own or moderator) else ""
        # Hidden comments their author and the moderators read in full (`review`) are shown.
        shown_in_full = getattr(comment, "shown_in_full", False)
        if node.is_gone and not shown_in_full:
            continue
        created = timezone.localtime(comment.created_at)
        node.time_iso = created.replace(microsecond=0).isoformat()
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


# --- a thread on its own page -----------------------------------------------------------------


class GonePassage:
    """What the thread templates ask of a passage, for a thread whose passage is gone."""

    key = ""
    label = "passage"


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
    replies_from: int = 0,
    show: int | None = None,
) -> dict:
    """What a thread's own page (and its panel) shows: its replies a page at a time
    (`discussions.thread_pages`), the comment it is about (`show`, `reply_to`, `editing`,
    `focus`) wherever it is.

    The counterpart of `thread_panel_context` for one thread, needing no passage: its quote
    is the one stored with it. `threads` is empty when nothing of it is left to show.
    """
    reading = root.reading
    url = reverse("discussions:thread", args=[circle.slug, root.pk])
    found = thread_comments(
        circle,
        root,
        request.user,
        replies_from=replies_from,
        include=show or reply_to or editing or _comment_pk(focus),
        prepare=lambda comments: with_agenda(comments, request.user),
    )
    threads, context = _margin_context(
        request,
        circle,
        reading,
        found.comments,
        url=url,
        reply_form=reply_form,
        reply_to=reply_to,
        edit_form=edit_form,
        editing=editing,
        focus=focus,
        partial=True,
    )
    for node in threads:
        for reply in _descendants(node):  # a reply's link shows it wherever it is
            reply.permalink = f"{url}?c={reply.comment.pk}#c-{reply.comment.pk}"
    chapter = root.chapter
    if chapter is not None:
        chapter.reading = reading
    previous_from = max(found.replies_from - REPLIES_PER_PAGE, 0)
    context.update(
        chapter=chapter,
        chapter_url=chapter_url_for(circle)(chapter) if chapter else "",
        passage=GonePassage(),
        create_url=reverse("discussions:thread-reply", args=[circle.slug, root.pk]),
        threads=threads,
        comment_count=thread_comment_count(root, request.user) if threads else 0,
        earlier_replies_url=f"{url}?from={previous_from}" if found.replies_from else "",
        later_replies_url=f"{url}?from={found.replies_next}" if found.replies_next else "",
        reattach_form=ReattachForm(),
    )
    return context


# --- after a write --------------------------------------------------------------------------

PANEL = "discussions/reader/passage.html"
THREAD_PAGE = "discussions/reader/thread.html"


def _on_chapter(request: ViewerRequest, context: dict) -> bool:
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


def panel_response(request: ViewerRequest, context: dict, *, status: int = 200) -> HttpResponse:
    """htmx: the thread panel and, out of band, the passage's highlighted text, its count and
    the chapter's totals. Without JavaScript: the whole passage page. `status` 422 answers a
    refused form (which the panel shows again, with its error)."""
    if request.htmx:
        response = render(request, f"{PANEL}#thread_panel", context, status=status)
        # The chapter shows its title passage as the page's h1: its text swaps in as one.
        if _on_chapter(request, context):
            context["is_title"] = is_chapter_title(context["passage"])
        response.write(render(request, f"{PANEL}#passage_oob", context).content)
        return response
    return render(request, PANEL, context, status=status)


def thread_response(request: ViewerRequest, context: dict, *, status: int = 200) -> HttpResponse:
    """`panel_response` for a thread whose passage is gone: its own page, or its panel."""
    if request.htmx:
        response = render(request, f"{THREAD_PAGE}#thread_panel", context, status=status)
        if _on_chapter(request, context):
            response.write(render(request, f"{THREAD_PAGE}#thread_oob", context).content)
        return response
    return render(request, THREAD_PAGE, context, status=status)


def passage_of(comment: Comment) -> Passage | None:
    """The passage `comment`'s thread is on, or None once it is gone."""
    if comment.passage_id is None:
        return None
    try:
        return permissions.get_passage_in_circle(
            comment.circle, comment.reading.slug, comment.passage_key
        )
    except Http404:
        return None


def _thread_root(comment: Comment) -> Comment:
    root = comment if comment.is_root else comment.root
    root.circle = comment.circle
    root.reading = comment.reading
    return root


def panel_for(
    request: ViewerRequest,
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
    (`panel_response`), or for a thread whose passage is gone, the thread's own
    (`thread_response`); 404 if its passage has left the circle's readings.

    `passage` is the passage whose panel to show if the caller has it (else `comment`'s is
    looked up); `focus`, `edit_form` and `editing` go to the context's builder, `extra` into
    the context."""
    if passage is None:
        passage = passage_of(comment)
    if passage is None and comment.passage_id is not None:
        raise Http404("No such passage in this circle's readings.")
    shown = {"focus": focus, "edit_form": edit_form, "editing": editing}
    if passage is None:
        context = thread_context(request, comment.circle, _thread_root(comment), **shown)
        context.update(extra)
        return thread_response(request, context, status=status)
    context = thread_panel_context(request, comment.circle, passage, **shown)
    context.update(extra)
    return panel_response(request, context, status=status)
