"""A session's proposed agenda, grown from the margin.

Members mark threads on the chapters of a session to come "Raise at the session"
(`RaiseMark`); the session's agenda lists the marked threads on its chapters, most marks
first, each with its quote and first comment. The circle's organizers reorder (move up or
down), pin, drop (dropped items stay in their view) and mark items discussed
(`AgendaItem`); a thread discussed says "Discussed at Session 3" wherever it is shown.

What a member sees of the agenda is what they see in the margin: shared threads only (no
private notes), no hidden or deleted-and-empty threads, and those on chapters beyond their
horizon folded (`discussions.horizon`). Organizers curate the whole agenda, unfolded, as
moderators judge the whole margin.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from circles.models import Meeting, MeetingStatus, Membership
from circles.permissions import is_member

from .models import AgendaItem, Comment, CommentState, RaiseMark

ACTIONS = ("up", "down", "pin", "unpin", "drop", "restore", "discussed", "undiscussed")


class AgendaError(ValueError):
    """An organizer's edit that cannot be made (an unknown action, a thread not on it)."""


# --- marks -----------------------------------------------------------------------------------


def sessions_to_come(now=None):
    """Scheduled sessions that have not ended, as a filter for a thread's (`OuterRef`)
    circle, reading and chapter: the sessions a mark can be for."""
    return Meeting.objects.filter(
        circle_id=OuterRef("circle_id"),
        reading_id=OuterRef("reading_id"),
        first_chapter__number__lte=OuterRef("chapter__number"),
        last_chapter__number__gte=OuterRef("chapter__number"),
        status=MeetingStatus.SCHEDULED,
        ends_at__gt=now or timezone.now(),
    )


def has_session_to_come(thread: Comment) -> bool:
    if thread.chapter_id is None:
        return False
    return Comment.objects.filter(pk=thread.pk).filter(Exists(sessions_to_come())).exists()


def can_raise(user, thread: Comment) -> bool:
    """Active members mark shared, visible thread roots on the chapters of a session to come."""
    return (
        thread.is_root
        and not thread.is_private
        and thread.state == CommentState.VISIBLE
        and is_member(user, thread.circle)
        and has_session_to_come(thread)
    )


def toggle_mark(user, thread: Comment) -> bool:
    """Mark the thread, or take one's mark back: whether it is marked now."""
    deleted, _ = RaiseMark.objects.filter(thread=thread, user=user).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            RaiseMark.objects.create(thread=thread, user=user)
    except IntegrityError:  # a double click: marked meanwhile
        pass
    return True


def counted_marks(circle_id):
    """The marks that count in a circle: its active members'."""
    members = Membership.objects.active().filter(circle_id=circle_id).values("user_id")
    return RaiseMark.objects.filter(user_id__in=members)


def mark_state(user, thread: Comment) -> tuple[int, bool]:
    """(how many marks the thread has, whether `user` made one): one query."""
    counts = (
        counted_marks(thread.circle_id)
        .filter(thread=thread)
        .aggregate(total=Count("pk"), mine=Count("pk", filter=Q(user_id=getattr(user, "pk", None))))
    )
    return counts["total"], bool(counts["mine"])


# --- the agenda ------------------------------------------------------------------------------


@dataclass
class Item:
    thread: Comment
    marks: int
    position: int | None = None
    pinned: bool = False
    dropped: bool = False
    discussed: bool = False
    first: bool = False
    last: bool = False
    extra: dict = field(default_factory=dict)

    def sort_key(self) -> tuple:
        return (
            self.dropped,
            not self.pinned,
            self.position is None,
            self.position or 0,
            -self.marks,
            self.thread.created_at,
            self.thread.pk,
        )


def agenda_threads(meeting: Meeting, user):
    """The threads a session's agenda may hold: shared thread roots on its chapters that
    `user` may see, marked or already on it, with their marks counted (`marks`: the marks of
    the circle's active members; those who left or were banned no longer count)."""
    chapters = meeting.chapters().values("pk")
    on_agenda = AgendaItem.objects.filter(meeting=meeting).values("thread_id")
    members = Membership.objects.active().filter(circle_id=meeting.circle_id).values("user_id")
    # The marked threads and those on the agenda first, then their marks counted: counting
    # (a join and a grouping) every thread of the chapters took a session page's agenda
    # from about 2 ms to 11 (a chapter of 1,000 threads, bench/run.py's `session`).
    marked = counted_marks(meeting.circle_id).values("thread_id")
    return (
        Comment.objects.in_circle(meeting.circle)
        .roots()
        .public()
        .shown_to(user)
        .filter(chapter_id__in=chapters)
        .filter(Q(pk__in=marked) | Q(pk__in=on_agenda))
        .annotate(
            marks=Count("raise_marks", filter=Q(raise_marks__user_id__in=members), distinct=True)
        )
        .select_related("author", "chapter", "reading")
    )


def agenda_for(meeting: Meeting, user, *, horizon=None, with_dropped: bool = False) -> list[Item]:
    """The session's agenda in its order (two queries). `horizon`: keep only the threads
    within it; `with_dropped`: the dropped items too, at the end (for organizers)."""
    threads = agenda_threads(meeting, user)
    if horizon is not None:
        threads = threads.within_horizon(horizon)
    threads = list(threads)
    return _ordered(meeting, threads, _decided(meeting, threads), with_dropped=with_dropped)


def agenda_within(meeting: Meeting, user, horizon) -> tuple[list[Item], int]:
    """The agenda `user` sees within `horizon`, and how many of its items lie beyond it
    (what the fold counts; dropped items are not counted): two queries, one when nothing is
    marked."""
    threads = list(agenda_threads(meeting, user))
    decided = _decided(meeting, threads)
    within = [thread for thread in threads if horizon.shows(thread)]
    folded = sum(
        1
        for thread in threads
        if not horizon.shows(thread) and not getattr(decided.get(thread.pk), "dropped", False)
    )
    return _ordered(meeting, within, decided, with_dropped=False), folded


def _decided(meeting: Meeting, threads: list[Comment]) -> dict[int, AgendaItem]:
    """What organizers decided about these threads at this session: {thread id: item}."""
    if not threads:
        return {}
    rows = AgendaItem.objects.filter(meeting=meeting, thread__in=[t.pk for t in threads])
    return {row.thread_id: row for row in rows}


def _ordered(
    meeting: Meeting, threads: list[Comment], decided: dict[int, AgendaItem], *, with_dropped: bool
) -> list[Item]:
    items = []
    for thread in threads:
        thread.circle = meeting.circle
        row = decided.get(thread.pk)
        item = Item(thread, thread.marks)
        if row is not None:
            item.position, item.pinned, item.dropped = row.position, row.pinned, row.dropped
            item.discussed = row.discussed_at is not None
        if item.dropped and not with_dropped:
            continue
        items.append(item)
    items.sort(key=Item.sort_key)
    kept = [item for item in items if not item.dropped]
    if kept:
        kept[0].first, kept[-1].last = True, True
    return items


@transaction.atomic
def edit_agenda(meeting: Meeting, organizer, thread_pk: int, action: str) -> None:
    """Apply an organizer's `action` (one of `ACTIONS`) to the thread `thread_pk` on the
    session's agenda. Moving saves the whole order as it is now, then swaps the item with
    its neighbour among the kept items pinned as it is."""
    if action not in ACTIONS:
        raise AgendaError("Choose move up, move down, pin, drop, restore or discussed.")
    items = agenda_for(meeting, organizer, with_dropped=True)
    item = next((i for i in items if i.thread.pk == thread_pk), None)
    if item is None:
        raise AgendaError("That thread is not on this session’s agenda.")
    row, _ = AgendaItem.objects.get_or_create(meeting=meeting, thread=item.thread)
    if action in ("up", "down"):
        if item.dropped:
            raise AgendaError("Restore the item before moving it.")
        _move(meeting, items, item, -1 if action == "up" else 1)
        return
    if action in ("pin", "unpin"):
        row.pinned = action == "pin"
    elif action in ("drop", "restore"):
        row.dropped = action == "drop"
        if row.dropped:
            row.pinned = False
    else:
        row.discussed_at = timezone.now() if action == "discussed" else None
    row.save()


def _move(meeting: Meeting, items: list[Item], item: Item, step: int) -> None:
    kept = [i for i in items if not i.dropped]
    index = kept.index(item)
    other = index + step
    if not 0 <= other < len(kept) or kept[other].pinned != item.pinned:
        return  # already first (or last) of the pinned items, or of the others
    kept[index], kept[other] = kept[other], kept[index]
    for position, each in enumerate(kept, start=1):
        AgendaItem.objects.update_or_create(
            meeting=meeting, thread=each.thread, defaults={"position": position}
        )


def top_items(meeting: Meeting, user, horizon, count: int = 3) -> list[Item]:
    """The first `count` items of the agenda `user` sees (for the day-before reminder)."""
    return agenda_for(meeting, user, horizon=horizon)[:count]


def discussed_in(thread_ids) -> dict[int, Meeting]:
    """{thread id: the latest session it was discussed at}: one query."""
    rows = (
        AgendaItem.objects.filter(thread_id__in=list(thread_ids), discussed_at__isnull=False)
        .select_related("meeting", "meeting__circle")
        .order_by("meeting__starts_at")
    )
    return {row.thread_id: row.meeting for row in rows}
