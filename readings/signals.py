"""Signals the readings app sends. Other apps subscribe; `readings` imports none of them.

passages_changed
    Sent whenever the text of a reading's passages changes: a re-import
    (`readings.services.reimport_reading`) or an edit of a passage's text by hand
    (`readings.services.edit_passage`, used by the admin).

    Keyword arguments:
        sender       -- the `Reading` class.
        reading      -- the `Reading`, its `text_version` already bumped.
        old_version  -- the text version before the change (int).
        new_version  -- the text version after the change (int).
        changes      -- a list of `PassageChange`, one per passage whose text changed, that was
                        added or that was removed (passages whose text is unchanged — even if they
                        moved — are not listed; their keys and rows are kept).

    It is sent inside the write's transaction, after changed and added passages are saved and
    BEFORE removed passages are deleted: a receiver can still read a removed passage's row by
    `passage_id` and re-point whatever refers to it (e.g. re-anchor a comment to a neighbour)
    before it goes; rows still pointing at it afterwards meet its `on_delete`. An exception in a
    receiver rolls the whole write back. Receivers that do slow work should queue a task with
    `transaction.on_commit`.

    The discussions app listens to it to re-anchor comments (`discussions.reanchoring`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal

passages_changed = Signal()


@dataclass(frozen=True)
class PassageChange:
    """One passage's text before and after a change.

    `old_text` is None for an added passage and `new_text` None for a removed one; otherwise
    the passage kept its `key` and `passage_id` and only its text changed.
    """

    key: str
    passage_id: int
    old_text: str | None
    new_text: str | None

    @property
    def added(self) -> bool:
        return self.old_text is None

    @property
    def removed(self) -> bool:
        return self.new_text is None
