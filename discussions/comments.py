"""Writing and reading in the margin: the comment services and the chapter queries.

Views stay thin and call these. Every write runs in one transaction that also
- updates the thread root's `reply_count` and `last_activity_at`, and
- bumps the (circle, chapter) discussion version (`ChapterDiscussion.bump`), which is part of
  the key of the cached chapter fragment, so the next reader sees the change.

Posting is idempotent: the form carries a UUID made when the form was rendered
(`Comment.idempotency_key`, unique in the database); a resent form or a double click returns
the comment the first request made, also when both requests race (the loser's INSERT fails
inside a savepoint and it reads the winner's row).

Mentions: `@[Any Name]` or, for names without spaces, `@Name` (case-insensitive) of an active
member of the circle becomes a link to the circle's member list; anything else stays text.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urljoin

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from readings.models import Chapter, Passage

from . import limits, notify
from .anchoring import BadAnchor, make_selector
from .highlights import Highlight
from .markdown import render_markdown
from .models import (
    AnchorStatus,
    ChapterDiscussion,
    Circle,
    Comment,
    CommentRevision,
    CommentState,
    Membership,
)

# Replies nest this deep; deeper replies sit at this depth and say whom they answer.
MAX_DEPTH = 3

__all__ = [
    "MAX_DEPTH",
    "BadAnchor",
    "CommentError",
    "ChapterMargin",
    "RateLimited",
    "ThreadNode",
    "absolutize_links",
    "build_threads",
    "chapter_margin",
    "chapter_totals",
    "check_link_limit",
    "check_rate_limit",
    "delete_comment",
    "edit_comment",
    "link_mentions",
    "post_comment",
    "reattach_thread",
    "render_body",
    "reply",
]


class CommentError(ValueError):
    """A write that cannot be done as asked (the message is for the person)."""


# --- limits -----------------------------------------------------------------------------------


class RateLimited(CommentError):
    """Too many posts too fast. The message says when the person may post again;
    `retry_after` is that in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def check_rate_limit(user, circle: Circle) -> limits.Slot:
    """Count a new comment or reply by `user` against the posting limits (per person, across
    circles: see discussions/limits.py), or refuse it with `RateLimited`. Every new comment
    and reply passes through here, just before it is saved; `release()` the returned slot if
    it is not."""
    try:
        return limits.take_slot(user)
    except limits.TooManyPosts as refusal:
        raise RateLimited(str(refusal), refusal.retry_after) from refusal


def check_link_limit(user, body_html: str) -> None:
    """Refuse a comment (new or edited) with more links than `user`'s young account may post."""
    refusal = limits.links_refusal(user, body_html)
    if refusal:
        raise CommentError(refusal)


# --- bodies -----------------------------------------------------------------------------------

# `@Name` (letters, digits, dots and hyphens inside, never at the end: "Ask @Mina." mentions
# Mina) or `@[Full Name]`.
_MENTION = re.compile(r"(?<![\w@&])@(?:\[([^\]\n<>]{1,80})\]|(\w(?:[\w.\-]{0,78}\w)?))")
_TAG = re.compile(r"(<[^>]*>)")


def _member_names(circle: Circle) -> dict[str, int]:
    """Active members' display names (lower-cased) → user id, in one query."""
    names: dict[str, int] = {}
    rows = Membership.objects.active().filter(circle=circle).select_related("user")
    for membership in rows.only("user__display_name", "user__email", "user_id"):
        names.setdefault(membership.user.name.casefold(), membership.user_id)
    return names


def link_mentions(
    html: str,
    circle: Circle,
    names: dict[str, int] | None = None,
    mentioned: set[int] | None = None,
) -> str:
    """Turn `@Name` / `@[Full Name]` of the circle's members into links to its member list,
    adding the ids of the members linked to `mentioned` if given.

    Works on sanitized HTML: only text outside links and code is touched, and the link is
    built here from escaped text (the sanitizer ran before; nothing a person typed becomes an
    attribute)."""
    if "@" not in html:
        return html
    names = _member_names(circle) if names is None else names
    if not names:
        return html
    href = reverse("discussions:circle", args=[circle.slug]) + "#members-heading"
    out: list[str] = []
    skip = 0  # depth inside <a>, <code> or <pre>
    for part in _TAG.split(html):
        if part.startswith("<"):
            tag = part[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if part[1:] else ""
            if tag in {"a", "code", "pre"}:
                skip += -1 if part.startswith("</") else 1
            out.append(part)
        elif skip > 0 or "@" not in part:
            out.append(part)
        else:

            def replace(match: re.Match) -> str:
                name = unescape(match.group(1) or match.group(2))
                user_id = names.get(name.casefold())
                if user_id is None:
                    return match.group(0)
                if mentioned is not None:
                    mentioned.add(user_id)
                return f'<a class="mention" href="{href}">@{escape(name)}</a>'

            out.append(_MENTION.sub(replace, part))
    return "".join(out)


def render_body(body: str, circle: Circle, mentioned: set[int] | None = None) -> str:
    """Markdown → sanitized HTML with the circle's mentions linked (once, at save); the ids of
    the members mentioned are added to `mentioned` if given."""
    return link_mentions(render_markdown(body), circle, mentioned=mentioned)


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


# --- writes -----------------------------------------------------------------------------------


def _touch_thread(root_id: int, *, now, replies: int = 0) -> None:
    changes: dict = {"last_activity_at": now}
    if replies:
        changes["reply_count"] = F("reply_count") + replies
    Comment.objects.filter(pk=root_id).update(**changes)


@dataclass
class Posted:
    comment: Comment
    created: bool


def post_comment(
    *,
    circle: Circle,
    passage: Passage | None,
    author,
    body: str,
    idempotency_key: uuid.UUID | str | None = None,
    start: int | None = None,
    end: int | None = None,
    is_private: bool = False,
    parent: Comment | None = None,
) -> Posted:
    """Start a thread on `passage` (the whole of it, or `start`..`end` of its text), or reply
    to `parent`. Callers check `permissions.can_comment` / `can_reply` first.

    Returns the comment and whether it is new: a key that was already used returns the
    comment made with it (by the same author; anyone else's key is refused).
    """
    body = (body or "").strip()
    if not body:
        raise CommentError("Write something first.")
    key = uuid.UUID(str(idempotency_key)) if idempotency_key else uuid.uuid4()
    existing = Comment.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _same_author(existing, author)

    now = timezone.now()
    mentioned: set[int] = set()
    comment = Comment(
        circle=circle,
        author=author,
        body=body,
        body_html=render_body(body, circle, mentioned),
        idempotency_key=key,
        created_at=now,
        last_activity_at=now,
    )
    if parent is not None:
        root = parent.root if parent.root_id else parent
        comment.parent = parent
        comment.root = root
        # A reply lives where its thread lives, and is as private as its thread.
        comment.reading_id = root.reading_id
        comment.passage_id, comment.passage_key = root.passage_id, root.passage_key
        comment.chapter_id = root.chapter_id
        comment.is_private = root.is_private
        comment.anchor_text_version = root.anchor_text_version
    else:
        if passage is None:
            raise CommentError("Choose a passage to comment on.")
        selector = make_selector(passage.text, start, end)
        comment.reading_id = passage.reading_id
        comment.chapter_id = passage.chapter_id
        comment.passage = passage
        comment.passage_key = passage.key
        comment.is_private = is_private
        comment.anchor_start, comment.anchor_end = selector.start, selector.end
        comment.anchor_exact = comment.anchor_original_exact = selector.exact
        comment.anchor_prefix, comment.anchor_suffix = selector.prefix, selector.suffix
        comment.anchor_text_version = passage.reading.text_version
    check_link_limit(author, comment.body_html)

    # Counted last, when nothing else refuses the post; given back if it is not saved.
    slot = check_rate_limit(author, circle)
    try:
        with transaction.atomic():
            comment.save(force_insert=True)
            if comment.root_id:
                _touch_thread(comment.root_id, now=now, replies=1)
            ChapterDiscussion.bump(circle.pk, comment.chapter_id)
            notify.comment_posted(comment, mentioned=mentioned)
    except IntegrityError:
        # The same form arrived twice at once: the other request's comment stands.
        slot.release()
        existing = Comment.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return _same_author(existing, author)
    except BaseException:
        slot.release()  # not saved: it does not count
        raise
    return Posted(comment, True)


def _same_author(existing: Comment, author) -> Posted:
    if existing.author_id != author.pk:
        raise CommentError("This form was already used. Reload the page and try again.")
    return Posted(existing, False)


def reply(parent: Comment, *, author, body: str, idempotency_key=None) -> Posted:
    """Answer `parent` (any comment of a thread)."""
    return post_comment(
        circle=parent.circle,
        passage=None,
        author=author,
        body=body,
        idempotency_key=idempotency_key,
        parent=parent,
    )


@transaction.atomic
def edit_comment(comment: Comment, body: str) -> Comment:
    """Replace the body, keeping the earlier version as a CommentRevision."""
    body = (body or "").strip()
    if not body:
        raise CommentError("A comment cannot be empty; delete it instead.")
    if body == comment.body:
        return comment
    body_html = render_body(body, comment.circle)
    check_link_limit(comment.author, body_html)
    CommentRevision.objects.create(
        comment=comment, body=comment.body, body_html=comment.body_html, created_at=timezone.now()
    )
    now = timezone.now()
    comment.body = body
    comment.body_html = body_html
    comment.edited_at = now
    comment.save(update_fields=["body", "body_html", "edited_at"])
    _touch_thread(comment.thread_id, now=now)
    ChapterDiscussion.bump(comment.circle_id, comment.chapter_id)
    return comment


@transaction.atomic
def delete_comment(comment: Comment) -> Comment:
    """The author takes their words back.

    The row stays (state "deleted", body emptied; the revisions keep the text for moderators):
    a deleted comment with replies shows "deleted" in its place so the replies still read as
    answers; one without replies disappears from every list and count.
    """
    if comment.state == CommentState.DELETED:
        return comment
    CommentRevision.objects.create(
        comment=comment, body=comment.body, body_html=comment.body_html, created_at=timezone.now()
    )
    was_visible = comment.state == CommentState.VISIBLE
    comment.state = CommentState.DELETED
    comment.body = ""
    comment.body_html = ""
    comment.save(update_fields=["state", "body", "body_html"])
    if comment.root_id and was_visible:
        Comment.objects.filter(pk=comment.root_id).update(reply_count=F("reply_count") - 1)
    ChapterDiscussion.bump(comment.circle_id, comment.chapter_id)
    return comment


@transaction.atomic
def reattach_thread(root: Comment, passage: Passage, start: int | None, end: int | None) -> Comment:
    """A moderator puts an orphaned (or misplaced) thread on new words; its replies follow."""
    if not root.is_root:
        raise CommentError("Only a thread's first comment carries its place in the text.")
    selector = make_selector(passage.text, start, end)
    old_chapter = root.chapter_id
    root.passage = passage
    root.passage_key = passage.key
    root.chapter_id = passage.chapter_id
    root.anchor_start, root.anchor_end = selector.start, selector.end
    root.anchor_exact = selector.exact
    root.anchor_prefix, root.anchor_suffix = selector.prefix, selector.suffix
    root.anchor_status = AnchorStatus.ANCHORED
    root.anchor_score = 1.0
    root.anchor_text_version = passage.reading.text_version
    root.save()
    Comment.objects.filter(root=root).update(
        passage=passage, passage_key=passage.key, chapter_id=passage.chapter_id
    )
    ChapterDiscussion.bump(root.circle_id, old_chapter)
    if passage.chapter_id != old_chapter:
        ChapterDiscussion.bump(root.circle_id, passage.chapter_id)
    return root


# --- reading: the chapter ---------------------------------------------------------------------

SHOW_CHOICES = {"all": "All", "mine": "Mine", "unanswered": "Unanswered"}


@dataclass
class ChapterMargin:
    """What the chapter page shows of a circle's discussion: highlights and counts per
    passage, totals, and whether threads were orphaned here."""

    highlights: dict[int, list[Highlight]] = field(default_factory=dict)
    counts: dict[int, int] = field(default_factory=dict)
    threads: int = 0
    comments: int = 0
    orphans: int = 0


def chapter_margin(circle: Circle, chapter: Chapter, user, show: str = "all") -> ChapterMargin:
    """Highlights and counts of `chapter` in `circle` as `user` sees them: two queries
    however many comments there are (a grouped count and the roots' anchors).

    `user` may be AnonymousUser: that is also the shared view cached for everyone without
    private notes in the chapter.
    """
    comments = Comment.objects.in_chapter_of(circle, chapter).visible_to(user)
    roots = comments.roots().shown_to(user)
    if show == "unanswered":
        roots = roots.unanswered()
        comments = comments.filter(parent__isnull=True, reply_count=0)
    elif show == "mine":
        mine = roots.involving(user).values("pk")
        roots = roots.filter(pk__in=mine)
        comments = comments.filter(Q(pk__in=mine) | Q(root__in=mine))

    margin = ChapterMargin()
    rows = (
        comments.order_by()
        .values("passage_id")
        .annotate(
            shown=Count("pk", filter=Q(state=CommentState.VISIBLE)),
            threads=Count("pk", filter=Q(parent__isnull=True) & _shown_root()),
        )
    )
    for row in rows:
        if row["passage_id"] is None:
            margin.orphans += row["threads"]
        else:
            margin.counts[row["passage_id"]] = row["shown"]
        margin.comments += row["shown"]
        margin.threads += row["threads"]

    anchors = (
        roots.filter(anchor_start__isnull=False, passage__isnull=False)
        .exclude(anchor_status=AnchorStatus.ORPHANED)
        .order_by()
        .values_list("passage_id", "anchor_start", "anchor_end", "pk")
    )
    for passage_id, start, end, pk in anchors:
        margin.highlights.setdefault(passage_id, []).append(Highlight(start, end, pk))
    return margin


def chapter_totals(circle: Circle, chapter_id: int | None, user) -> tuple[int, int]:
    """(threads, comments) of a chapter as `user` sees them, in one query."""
    totals = (
        Comment.objects.filter(circle=circle, chapter_id=chapter_id)
        .visible_to(user)
        .aggregate(
            comments=Count("pk", filter=Q(state=CommentState.VISIBLE)),
            threads=Count("pk", filter=Q(parent__isnull=True) & _shown_root()),
        )
    )
    return totals["threads"], totals["comments"]


def _shown_root() -> Q:
    """Roots that are shown: not hidden, and not deleted unless they have replies."""
    return ~Q(state=CommentState.HIDDEN) & ~Q(state=CommentState.DELETED, reply_count=0)


def orphaned_threads(circle: Circle, chapter: Chapter, user) -> list[Comment]:
    return list(
        Comment.objects.in_chapter_of(circle, chapter)
        .orphaned()
        .shown_to(user)
        .select_related("author")
        .order_by("created_at")
    )


# --- reading: threads -------------------------------------------------------------------------


@dataclass
class ThreadNode:
    comment: Comment
    depth: int = 0
    children: list[ThreadNode] = field(default_factory=list)
    replying_to: Comment | None = None  # set when flattened below MAX_DEPTH

    @property
    def is_gone(self) -> bool:
        return self.comment.state != CommentState.VISIBLE


def build_threads(
    comments: list[Comment], keep: Callable[[Comment], bool] | None = None
) -> list[ThreadNode]:
    """Trees from one thread-ordered list of comments (oldest first).

    Replies nest up to `MAX_DEPTH`; deeper ones join their ancestor at that depth and name
    whom they answer. Deleted or hidden comments stay as placeholders only while a visible
    reply hangs below them, or while `keep(comment)` says this viewer still sees them.
    """
    nodes: dict[int, ThreadNode] = {}
    roots: list[ThreadNode] = []
    by_pk = {comment.pk: comment for comment in comments}
    for comment in comments:
        parent_node = nodes.get(comment.parent_id) if comment.parent_id else None
        if comment.parent_id and parent_node is None:
            continue  # its parent is not shown to this reader
        if parent_node is None:
            node = ThreadNode(comment, 0)
            roots.append(node)
        elif parent_node.depth < MAX_DEPTH:
            node = ThreadNode(comment, parent_node.depth + 1)
            parent_node.children.append(node)
        else:
            holder = parent_node
            while holder.depth > MAX_DEPTH - 1 and holder.comment.parent_id in nodes:
                holder = nodes[holder.comment.parent_id]
            node = ThreadNode(comment, MAX_DEPTH, replying_to=by_pk.get(comment.parent_id))
            holder.children.append(node)
        nodes[comment.pk] = node
    return [node for node in (_prune(root, keep) for root in roots) if node is not None]


def _prune(node: ThreadNode, keep: Callable[[Comment], bool] | None) -> ThreadNode | None:
    node.children = [c for c in (_prune(c, keep) for c in node.children) if c is not None]
    if node.is_gone and not node.children and not (keep and keep(node.comment)):
        return None
    return node


def count_comments(nodes: list[ThreadNode]) -> int:
    total = 0
    for node in nodes:
        total += (0 if node.is_gone else 1) + count_comments(node.children)
    return total


def group_by_root(comments: list[Comment]) -> dict[int, list[Comment]]:
    threads: dict[int, list[Comment]] = defaultdict(list)
    for comment in comments:
        threads[comment.thread_id].append(comment)
    return threads
