"""Importing annotations onto a reading in a circle: a JSON file of W3C Web Annotations (a
list, a collection page, a collection with its pages inside, one annotation — this app's own
export included) or a Hypothesis export (its API's `{"rows": [...]}` or a list of its rows).

`parse` reads the file into `Incoming` annotations; `plan` places each thread on the reading
by the evidence a re-import uses — its quote, its position and its context — and says what
will happen to each before anything is saved; `save` writes the plan in one transaction.

Where a thread goes, in order:
1. **The place it names.** The passage it names (a `#pt-<key>` fragment or CSS selector, or a
   `/p/<key>/` source) at its position, if the words there read as the quote: "anchored".
2. **The quote, found again.** In the passage it names, then anywhere in the reading: the
   only occurrence there, or the one whose context agrees (`discussions.quotes.confirmed`)
   where no other agrees as well: "anchored". Typography never matters
   (`readings.typography`).
3. **Close words.** A fuzzy match in the passage it names, confirmed by its context:
   "drifted", with its score.
4. **Orphaned** otherwise: the thread keeps its quote, listed with the reading's threads
   whose text changed, for a moderator to re-attach.
A note on a whole passage follows that passage, or is orphaned. Replies follow their thread.

Authors are matched to the circle's members by display name or email (case-insensitive);
anyone else's comments are kept as "imported from <name>". An annotation's own id makes the
import idempotent: importing the same file twice adds nothing. An annotation exported from
this site keeps what the file cannot say: hidden by a moderator stays hidden (with the
reason), a private note stays private.
"""

from __future__ import annotations

import json
import re
import uuid
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F
from django.urls import Resolver404, resolve
from django.utils import timezone

from circles.models import Circle, Membership
from readings.importers.decode import too_large_message
from readings.models import Passage, Reading
from readings.typography import Folded, fold_text

from . import quotes
from .mentions import render_body
from .models import AnchorStatus, ChapterDiscussion, Comment, CommentState
from .selectors import CONTEXT, selector_at

NAMESPACE = uuid.UUID("0b7e4b60-2a52-4c5e-9a44-7d3c1f5be0a1")
MAX_ANNOTATIONS = 10_000
MAX_BYTES = 5 * 1024 * 1024
_KEY = re.compile(r"(?:#?pt-|/p/)([A-Za-z0-9_-]+)/?$")


class ImportRefused(ValueError):
    """A file that is not annotations this app can read (the message says why)."""


@dataclass
class Incoming:
    """One annotation as read from the file."""

    id: str
    body: str
    author: str
    created: datetime | None
    parent: str | None = None  # the annotation it replies to
    key: str = ""  # the passage it names
    reading_slug: str = ""  # the reading its source names, when the source is on this site
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


@dataclass
class Placed:
    """Where an incoming thread goes: a passage and a span (None for the whole passage), or
    nowhere (orphaned)."""

    incoming: Incoming
    status: str
    passage: Passage | None = None
    start: int | None = None
    end: int | None = None
    score: float = 1.0
    replies: list[Incoming] = field(default_factory=list)


@dataclass
class Plan:
    reading: Reading
    threads: list[Placed]
    skipped: int = 0  # replies whose thread is not in the file, bodiless annotations
    elsewhere: int = 0  # comments on another reading of this site (a circle's whole export)

    def count(self, status: str) -> int:
        return sum(1 for placed in self.threads if placed.status == status)

    @property
    def comments(self) -> int:
        return sum(1 + len(placed.replies) for placed in self.threads)


# --- reading the file ------------------------------------------------------------------------


def parse(data: bytes) -> list[Incoming]:
    """The annotations in a W3C or Hypothesis JSON file; `ImportRefused` for anything else."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(too_large_message(len(data), MAX_BYTES))
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportRefused(f"This file is not JSON: {error}.") from None
    items = _items(document)
    if not items:
        raise ImportRefused(
            "No annotations found: the file should hold W3C Web Annotations (a list, a "
            "collection or a page) or a Hypothesis export."
        )
    if len(items) > MAX_ANNOTATIONS:
        raise ImportRefused(f"This file holds {len(items)} annotations; at most {MAX_ANNOTATIONS}.")
    return [_incoming(item) for item in items if isinstance(item, dict)]


def _items(document) -> list:
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        return []
    if isinstance(document.get("rows"), list):  # Hypothesis's API
        return document["rows"]
    if isinstance(document.get("items"), list):  # an AnnotationPage
        return document["items"]
    first = document.get("first")
    if isinstance(first, dict):  # a collection with its pages inside
        items, page = [], first
        while isinstance(page, dict):
            items += page.get("items", [])
            page = page.get("next")
        return items
    if document.get("type") == "Annotation" or "target" in document:
        return [document]
    return []


def _incoming(item: dict) -> Incoming:
    if "text" in item and "user" in item:  # a Hypothesis row
        return _from_hypothesis(item)
    target = item.get("target")
    target = target[0] if isinstance(target, list) and target else target
    parent = None
    if item.get("motivation") == "replying":
        parent = target.get("id") if isinstance(target, dict) else target
        parent = str(parent) if parent else None
    incoming = Incoming(
        id=str(item.get("id") or uuid.uuid4()),
        body=_body(item),
        author=_name(item.get("creator")),
        created=_when(item.get("created")),
        parent=parent,
    )
    if isinstance(target, dict):
        _read_target(incoming, target.get("source", ""), target.get("selector"))
    return incoming


def _from_hypothesis(row: dict) -> Incoming:
    references = row.get("references") or []
    info = row.get("user_info") or {}
    user = str(row.get("user", "")).removeprefix("acct:").split("@")[0]
    incoming = Incoming(
        id=str(row.get("id") or uuid.uuid4()),
        body=str(row.get("text") or ""),
        author=str(info.get("display_name") or user or "someone"),
        created=_when(row.get("created")),
        parent=str(references[-1]) if references else None,
    )
    for target in row.get("target") or []:
        if isinstance(target, dict):
            _read_target(incoming, target.get("source", ""), target.get("selector"))
            break
    return incoming


def _read_target(incoming: Incoming, source: str, selectors) -> None:
    """The passage key, quote and position a target names (nested `refinedBy` included)."""
    if isinstance(source, str) and (match := _KEY.search(source.split("#")[0])):
        incoming.key = match.group(1)
    if isinstance(source, str):
        incoming.reading_slug = _resolved(source).get("reading_slug", "")
    pending = list(selectors if isinstance(selectors, list) else [selectors] if selectors else [])
    while pending:
        selector = pending.pop(0)
        if not isinstance(selector, dict):
            continue
        kind, value = selector.get("type"), str(selector.get("value", ""))
        if kind in ("FragmentSelector", "CssSelector") and (match := _KEY.search(value)):
            incoming.key = match.group(1)
        elif kind == "TextQuoteSelector":
            incoming.exact = str(selector.get("exact", ""))
            incoming.prefix = str(selector.get("prefix", ""))[-CONTEXT:]
            incoming.suffix = str(selector.get("suffix", ""))[:CONTEXT]
        elif kind == "TextPositionSelector":
            start, end = selector.get("start"), selector.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
                incoming.start, incoming.end = start, end
        refined = selector.get("refinedBy")
        pending += refined if isinstance(refined, list) else [refined] if refined else []


def _body(item: dict) -> str:
    """The body as written: Markdown, else plain text, else HTML's text."""
    if isinstance(item.get("bodyValue"), str):
        return item["bodyValue"]
    bodies = item.get("body")
    bodies = bodies if isinstance(bodies, list) else [bodies] if bodies else []
    texts = {
        body.get("format", "text/plain"): body.get("value", "")
        for body in bodies
        if isinstance(body, dict)
    }
    for kind in ("text/markdown", "text/plain"):
        if texts.get(kind):
            return str(texts[kind])
    html = str(texts.get("text/html", ""))
    return re.sub(r"<[^>]+>", "", html).strip()


def _name(creator) -> str:
    creator = creator[0] if isinstance(creator, list) and creator else creator
    if isinstance(creator, dict):
        return str(creator.get("name") or creator.get("nickname") or "someone")
    return str(creator or "someone")


def _when(value) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def _resolved(address: str, view_name: str = "") -> dict:
    """The URL parameters of `address` when it is one of this site's pages (of `view_name`,
    if given); an empty dict otherwise."""
    try:
        match = resolve(urlsplit(address).path)
    except Resolver404:
        return {}
    return match.kwargs if view_name in ("", match.view_name) else {}


# --- placing ---------------------------------------------------------------------------------


class _Text:
    """The reading's passages folded once, and joined (NUL between passages, which no quote
    holds) so that a quote is looked for in the whole reading with one search."""

    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages
        self.folded = [fold_text_of(passage) for passage in passages]
        self.starts: list[int] = []
        at = 0
        for folded in self.folded:
            self.starts.append(at)
            at += len(folded.text) + 1
        self.joined = "\0".join(folded.text for folded in self.folded)

    def occurrences(self, exact: str) -> list[tuple[int, int]]:
        """(passage index, folded start) of every occurrence of folded `exact`."""
        found, position = [], self.joined.find(exact) if exact else -1
        while position != -1:
            index = bisect_right(self.starts, position) - 1
            found.append((index, position - self.starts[index]))
            position = self.joined.find(exact, position + 1)
        return found


def fold_text_of(passage: Passage) -> Folded:
    return Folded(passage.text)


def plan(reading: Reading, incoming: list[Incoming]) -> Plan:
    """Where every thread of `incoming` goes on `reading` (nothing is saved)."""
    passages = list(
        Passage.objects.in_reading(reading)
        .select_related("chapter")
        .order_by("chapter__number", "position")
    )
    text = _Text(passages)
    by_key = {passage.key: index for index, passage in enumerate(passages)}
    threads: dict[str, Placed] = {}
    roots = [item for item in incoming if item.parent is None]
    replies = [item for item in incoming if item.parent is not None]
    answered = {item.parent for item in replies if item.body.strip()}
    elsewhere = {item.id for item in roots if item.reading_slug not in ("", reading.slug)}
    for item in roots:
        # A thread whose first comment was deleted (an export gives no body) keeps its place
        # for the replies it has.
        if item.id not in elsewhere and (item.body.strip() or item.id in answered):
            threads[item.id] = _place(item, by_key.get(item.key), text)
    skipped = len(roots) - len(threads) - len(elsewhere)
    children: dict[str, list[Incoming]] = {}
    for item in replies:
        children.setdefault(item.parent or "", []).append(item)
    for root_id, placed in threads.items():
        placed.replies = _below(root_id, children, answered)  # each after the one it answers
    moved = sum(len(_below(root_id, children, answered)) for root_id in elsewhere)
    placed_replies = sum(len(placed.replies) for placed in threads.values())
    skipped += len(replies) - placed_replies - moved
    return Plan(reading, list(threads.values()), skipped, len(elsewhere) + moved)


def _below(root_id: str, children: dict[str, list[Incoming]], answered: set) -> list[Incoming]:
    """The replies under `root_id`, at any depth, once each (taken out of `children`); a reply
    with no body only if something answers it (a deleted comment's placeholder)."""
    found, stack = [], [root_id]
    while stack:
        for child in children.pop(stack.pop(), []):
            if child.body.strip() or child.id in answered:
                found.append(child)
                stack.append(child.id)
    return found


def _place(item: Incoming, named: int | None, text: _Text) -> Placed:
    passage = text.passages[named] if named is not None else None
    if not item.exact:
        if passage is not None:
            return Placed(item, AnchorStatus.ANCHORED, passage)
        return Placed(item, AnchorStatus.ORPHANED)
    quote = _FoldedQuote(fold_text(item.exact), fold_text(item.prefix), fold_text(item.suffix))
    at_position = (
        passage is not None
        and item.start is not None
        and item.end <= len(passage.text)
        and fold_text(passage.text[item.start : item.end]) == quote.exact
    )
    if at_position:
        return Placed(item, AnchorStatus.ANCHORED, passage, item.start, item.end)
    found = text.occurrences(quote.exact)
    for scope in ([(i, at) for i, at in found if i == named] if named is not None else []), found:
        best = _confirmed(quote, scope, text)
        if best is not None:
            index, start = best
            folded = text.folded[index]
            start, end = folded.span(start, start + len(quote.exact))
            return Placed(item, AnchorStatus.ANCHORED, text.passages[index], start, end)
    if passage is not None:
        folded = text.folded[named]
        match = quotes.fuzzy_in(quote, folded.text)
        if match is not None:
            score, start, end = match
            start, end = folded.span(start, end)
            return Placed(item, AnchorStatus.DRIFTED, passage, start, end, score / 100)
    return Placed(item, AnchorStatus.ORPHANED)


@dataclass(frozen=True)
class _FoldedQuote:
    exact: str
    prefix: str
    suffix: str


def _confirmed(
    quote: _FoldedQuote, found: list[tuple[int, int]], text: _Text
) -> tuple[int, int] | None:
    """Of the occurrences `found`, the one whose context agrees best (and agrees), or the only
    one there is; None when there is none or two cannot be told apart."""
    if not found:
        return None
    ranked = sorted(
        ((quotes.agreement(quote, text.folded[i].text, at), i, at) for i, at in found),
        reverse=True,
    )
    score, index, start = ranked[0]
    agrees = quotes.confirmed(quote, text.folded[index].text, start)
    if len(ranked) > 1 and (not agrees or ranked[1][0] == score):
        return None
    return index, start


# --- saving ----------------------------------------------------------------------------------


def _idempotency_key(circle: Circle, item: Incoming) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{circle.pk}:{item.id}")


def _keys(circle: Circle, the_plan: Plan) -> list[uuid.UUID]:
    items = [item for placed in the_plan.threads for item in (placed.incoming, *placed.replies)]
    return [_idempotency_key(circle, item) for item in items]


def already_imported(circle: Circle, the_plan: Plan) -> int:
    """How many of the plan's comments an earlier import of the same file added to `circle`."""
    return Comment.objects.filter(idempotency_key__in=_keys(circle, the_plan)).count()


def members_by_name(circle: Circle) -> dict:
    """The circle's active members by display name and by email, case-folded: whom an
    annotation's creator is taken to be."""
    members = {}
    for membership in Membership.objects.active().filter(circle=circle).select_related("user"):
        user = membership.user
        members[user.name.casefold()] = user
        members[user.email.casefold()] = user
    return members


def _sources(the_plan: Plan) -> dict[str, Comment]:
    """The comments of this site that the plan's annotations were exported from (their ids
    are this site's `annotation.json` addresses), by annotation id: a moderator's hiding and a
    private note's privacy come along with them, where another tool's file cannot say so."""
    pks = {}
    items = [item for placed in the_plan.threads for item in (placed.incoming, *placed.replies)]
    for item in items:
        if (pk := _resolved(item.id, "discussions:comment-annotation").get("pk")) is not None:
            pks[pk] = item.id
    found = Comment.objects.filter(pk__in=pks).only("state", "hidden_reason", "is_private")
    return {pks[comment.pk]: comment for comment in found}


@transaction.atomic
def save(circle: Circle, the_plan: Plan) -> int:
    """Write the planned threads into `circle`'s margin; how many comments were added (an
    annotation imported before is not added again)."""
    members = members_by_name(circle)
    sources = _sources(the_plan)
    keys = _keys(circle, the_plan)
    done = set(
        Comment.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True)
    )
    reading = the_plan.reading
    now = timezone.now()
    added = 0
    chapters: set[int | None] = set()
    for placed in the_plan.threads:
        item = placed.incoming
        key = _idempotency_key(circle, item)
        if key in done:
            continue
        # A deleted first comment comes without a time: it was written before its replies.
        times = [reply.created for reply in placed.replies if reply.created]
        when = item.created or (min(times) if times else now)
        root = _comment(circle, reading, item, members, key, when, sources.get(item.id))
        root.is_private = sources[item.id].is_private if item.id in sources else False
        passage = placed.passage
        if passage is not None:
            root.passage, root.passage_key = passage, passage.key
            root.chapter_id = passage.chapter_id
        else:
            root.passage_key = item.key or "imported"
        if placed.start is not None and passage is not None:
            selector = selector_at(passage.text, placed.start, placed.end)
            root.anchor_start, root.anchor_end = selector.start, selector.end
            root.anchor_exact, root.anchor_prefix, root.anchor_suffix = (
                selector.exact, selector.prefix, selector.suffix,
            )  # fmt: skip
        else:
            root.anchor_exact = item.exact
            root.anchor_prefix, root.anchor_suffix = item.prefix, item.suffix
        root.anchor_original_exact = item.exact
        root.anchor_status, root.anchor_score = placed.status, placed.score
        root.anchor_text_version = reading.text_version
        root.save(force_insert=True)
        added += 1
        chapters.add(root.chapter_id)
        by_id = {item.id: root}
        for reply in placed.replies:
            reply_key = _idempotency_key(circle, reply)
            if reply_key in done:
                continue
            comment = _comment(
                circle, reading, reply, members, reply_key, now, sources.get(reply.id)
            )
            comment.is_private = root.is_private
            comment.parent = by_id.get(reply.parent, root)
            comment.root = root
            comment.passage_id, comment.passage_key = root.passage_id, root.passage_key
            comment.chapter_id = root.chapter_id
            comment.anchor_text_version = root.anchor_text_version
            comment.save(force_insert=True)
            by_id[reply.id] = comment
            added += 1
        latest = max([root.created_at, *(c.created_at for c in by_id.values())])
        Comment.objects.filter(pk=root.pk).update(
            reply_count=F("reply_count") + len(by_id) - 1, last_activity_at=latest
        )
    for chapter_id in chapters:
        ChapterDiscussion.bump(circle.pk, chapter_id)
    return added


def _comment(
    circle: Circle,
    reading: Reading,
    item: Incoming,
    members: dict,
    key: uuid.UUID,
    now,
    source: Comment | None,
) -> Comment:
    author = members.get(item.author.casefold())
    body = item.body.strip()[: Comment._meta.get_field("body").max_length]
    created = item.created or now
    state = CommentState.VISIBLE if body else CommentState.DELETED
    hidden = source is not None and source.state == CommentState.HIDDEN
    return Comment(
        circle=circle,
        reading=reading,
        author=author,
        imported_from="" if author else item.author[:200],
        body=body,
        body_html=render_body(body, circle) if body else "",
        state=CommentState.HIDDEN if hidden and body else state,
        hidden_reason=source.hidden_reason if hidden and source else "",
        idempotency_key=key,
        created_at=created,
        last_activity_at=created,
    )
