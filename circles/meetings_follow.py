"""Sessions' chapter ranges across a change of the text.

A session (`Meeting`) reads a range of chapters, `first_chapter` to `last_chapter` (rows of
`readings.Chapter`, protected from deletion). Chapters are matched across a re-import by the
text they hold (`readings.continuity`), so a chapter that continues keeps its row and a range
follows the text when an edition adds a preface or renames chapters. When a chapter at either
end of a range is removed, `keep_meeting_ranges` (a receiver of `passages_changed`, sent before
removed chapters are deleted) moves that end:

- to the chapter that took over most of the removed chapter's text, when one did (two chapters
  merged: the range now names the merged one);
- otherwise to the nearest chapter that survives inside the range (the first one after a
  removed first chapter, the last one before a removed last chapter), so the range shrinks;
- when no chapter of the range survives and none took over its text, to the nearest surviving
  chapter after it (or, at the end of the book, before it), for both ends.

An end that would come after the other is swapped with it. Every session moved gets its
calendar sequence bumped (calendar programs see a change). The receiver returns a "sessions"
report: every session whose range loses a chapter or whose chapter numbers change, with its
range before and after and why.
"""

from __future__ import annotations

from django.db.models import F, Q

from readings.signals import ChapterChange

from .models import Circle, Meeting


def keep_meeting_ranges(sender, *, reading, chapters: list[ChapterChange] | None = None, **kw):
    """Move the ends of sessions' ranges off removed chapters; report the sessions affected."""
    chapters = chapters or []
    removed = {c.chapter_id: c for c in chapters if c.removed}
    renumbered = {c.chapter_id for c in chapters if c.renumbered}
    if not removed and not renumbered:
        return {"sessions": []}
    concerned = set(removed) | renumbered
    meetings = list(
        Meeting.objects.filter(reading=reading)
        .filter(Q(first_chapter_id__in=concerned) | Q(last_chapter_id__in=concerned))
        .select_related("circle")
        .order_by("starts_at", "pk")
    )
    if not meetings:
        return {"sessions": []}
    old = {c.chapter_id: c for c in chapters if not c.added}
    new = {c.chapter_id: c for c in chapters if not c.removed}
    surviving = sorted(new.values(), key=lambda c: c.new_number)
    report = []
    moved = []
    for meeting in meetings:
        first, last = meeting.first_chapter_id, meeting.last_chapter_id
        reasons = []
        new_first = _replacement(first, removed, old, new, surviving, forward=True, inside=last)
        new_last = _replacement(last, removed, old, new, surviving, forward=False, inside=first)
        for end, replacement in ((first, new_first), (last, new_last)):
            if end in removed:
                reasons.append(_why(removed[end], new.get(replacement)))
        if new[new_first].new_number > new[new_last].new_number:
            new_first, new_last = new_last, new_first
        if (new_first, new_last) != (first, last):
            meeting.first_chapter_id, meeting.last_chapter_id = new_first, new_last
            moved.append(meeting)
        before = _label(old[first].old_number, old[last].old_number)
        after = _label(new[new_first].new_number, new[new_last].new_number)
        if before == after and not reasons:
            continue
        report.append(
            {
                "session": meeting.pk,
                "title": meeting.title,
                "circle": meeting.circle.name,
                "starts_at": meeting.starts_at.isoformat(),
                "before": before,
                "after": after,
                "why": "; ".join(reasons) or "chapters renumbered",
            }
        )
    for meeting in moved:
        Meeting.objects.filter(pk=meeting.pk).update(
            first_chapter_id=meeting.first_chapter_id,
            last_chapter_id=meeting.last_chapter_id,
            sequence=F("sequence") + 1,
        )
    Circle.bump_schedule(*{meeting.circle_id for meeting in moved})
    return {"sessions": report}


def _replacement(
    chapter_id: int,
    removed: dict[int, ChapterChange],
    old: dict[int, ChapterChange],
    new: dict[int, ChapterChange],
    surviving: list[ChapterChange],
    *,
    forward: bool,
    inside: int,
) -> int:
    """The chapter an end of a range moves to (see the module docstring)."""
    if chapter_id not in removed:
        return chapter_id
    for successor in removed[chapter_id].successors:
        if successor in new:
            return successor
    # The nearest surviving chapter inside the range, in the old order.
    start, stop = old[chapter_id].old_number, old[inside].old_number
    low, high = min(start, stop), max(start, stop)
    inside_range = [c for c in old.values() if c.chapter_id in new and low <= c.old_number <= high]
    if inside_range:
        pick = min if forward else max
        return pick(inside_range, key=lambda c: c.old_number).chapter_id
    after = [c for c in surviving if _old_number(c, old) > start]
    before = [c for c in surviving if _old_number(c, old) < start]
    if after:
        return min(after, key=lambda c: _old_number(c, old)).chapter_id
    if before:
        return max(before, key=lambda c: _old_number(c, old)).chapter_id
    return surviving[0].chapter_id


def _old_number(chapter: ChapterChange, old: dict[int, ChapterChange]) -> float:
    """Where a surviving chapter stood in the old order (an added one: where it now stands)."""
    if chapter.chapter_id in old:
        return old[chapter.chapter_id].old_number
    return chapter.new_number - 0.5


def _why(chapter: ChapterChange, replacement: ChapterChange | None) -> str:
    name = chapter.old_title or f"Chapter {chapter.old_number}"
    if replacement is None:
        return f"chapter {chapter.old_number} “{name}” is removed"
    if replacement.chapter_id in chapter.successors:
        into = replacement.new_title or f"Chapter {replacement.new_number}"
        return f"chapter {chapter.old_number} “{name}” is removed; its text is now in “{into}”"
    return (
        f"chapter {chapter.old_number} “{name}” is removed; the range now ends at chapter "
        f"{replacement.new_number}"
    )


def _label(first: int | None, last: int | None) -> str:
    return f"Chapter {first}" if first == last else f"Chapters {first}–{last}"
