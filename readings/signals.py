"""Signals the readings app sends. Other apps subscribe; `readings` imports none of them.

passages_changed
    Sent whenever a reading's text changes: a re-import or a replacement of the text
    (`readings.services.reimport_reading`, `readings.replacement`), an edit of one passage
    (`readings.services.edit_passage`) or of a chapter's whole text
    (`readings.services.edit_chapter_text`), all from the admin or the command line.

    Keyword arguments:
        sender       -- the `Reading` class.
        reading      -- the `Reading`, its `text_version` already bumped.
        old_version  -- the text version before the change (int).
        new_version  -- the text version after the change (int).
        changes      -- a list of `PassageChange`, one per passage whose text changed, that was
                        added or that was removed (passages whose text is unchanged — even if they
                        moved to another place or chapter — are not listed; their rows and keys
                        are kept). It may be empty when only the structure changed (a passage
                        moved to another chapter, a chapter renamed, added or removed).
        alignment    -- a `readings.alignment.TextAlignment` of the old and the new text, both
                        sides named by passage id (old rows on the old side, the rows after the
                        change on the new side; a row that continues has the same id on both):
                        which old characters each new passage took over, wherever they went.
                        `alignment.carry(old_id, start, end)` says where an old span went,
                        `destinations(old_id)` which passages took over an old passage's text,
                        `origin(new_id, start, end)` where new text came from.
        chapters     -- a list of `ChapterChange`, one per chapter of the reading before or after
                        the change (unchanged ones included, so a receiver can name them).

    It is sent inside the write's transaction, after changed and added passages and chapters
    are saved and BEFORE removed passages and chapters are deleted: a receiver can still read a
    removed passage's or chapter's row and re-point whatever refers to it (re-anchor a comment,
    move a session's chapter range) before it goes; rows still pointing at it afterwards meet
    its `on_delete`. An exception in a receiver rolls the whole write back. Receivers that do
    slow work should queue a task with `transaction.on_commit`.

    Receivers may return a report of what the change does to what they own: a dict whose keys
    name sections ("threads", "sessions"), JSON-serialisable. `readings.replacement` runs the
    change inside a transaction that is rolled back to preview these reports, then again to
    save it, and merges the sections of every receiver's report (`merge_reports`).

    The discussions app listens to it to re-anchor comments (`discussions.reanchoring`), the
    circles app to keep sessions' chapter ranges on chapters that exist
    (`circles.meetings_follow`).

text_replaced
    Sent on commit after a staff member replaced a reading's whole text
    (`readings.replacement.replace_text`): notifications tell the organizers of the circles
    reading it, with the threads that need re-attaching.

    Keyword arguments:
        sender       -- the `Reading` class.
        reading      -- the `Reading`.
        replacement  -- the `TextReplacement` record (who, when, which file, the counts).
        report       -- the merged report (`ReplacementReport.as_dict()`: chapters, passages,
                        and the receivers' sections such as "threads" and "sessions").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal

passages_changed = Signal()
text_replaced = Signal()


@dataclass(frozen=True)
class PassageChange:
    """One passage's text before and after a change.

    `old_text` is None for an added passage and `new_text` None for a removed one; otherwise
    the passage kept its `key` and `passage_id` and its text changed. `old_chapter_id` and
    `new_chapter_id` are the chapters it was in before and is in after (None where it was not
    or is not).
    """

    key: str
    passage_id: int
    old_text: str | None
    new_text: str | None
    old_chapter_id: int | None = None
    new_chapter_id: int | None = None

    @property
    def added(self) -> bool:
        return self.old_text is None

    @property
    def removed(self) -> bool:
        return self.new_text is None


@dataclass(frozen=True)
class ChapterChange:
    """One chapter before and after a change of the text.

    A chapter row that continues keeps its `chapter_id` (its number and title may change).
    `old_number`/`old_title` are None for an added chapter, `new_number`/`new_title` None for
    a removed one. `successors` are, for a removed chapter, the ids of the chapters that took
    over its text, most first (empty when its text went nowhere).
    """

    chapter_id: int
    old_number: int | None
    new_number: int | None
    old_title: str | None
    new_title: str | None
    successors: tuple[int, ...] = ()

    @property
    def added(self) -> bool:
        return self.old_number is None

    @property
    def removed(self) -> bool:
        return self.new_number is None

    @property
    def renamed(self) -> bool:
        return not (self.added or self.removed) and self.old_title != self.new_title

    @property
    def renumbered(self) -> bool:
        return not (self.added or self.removed) and self.old_number != self.new_number


def merge_reports(responses: list[tuple[object, object]]) -> dict:
    """The sections of the receivers' reports (the answers of `Signal.send`), merged; answers
    that are not dicts are ignored."""
    merged: dict = {}
    for _, response in responses:
        if isinstance(response, dict):
            merged.update(response)
    return merged
