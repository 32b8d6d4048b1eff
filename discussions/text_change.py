"""What the re-anchoring knows about a change of a reading's text, as plain data.

A `TextChange` is built by the signal receiver from the database (or by a test, or by
`anchoring.reanchor`, from plain texts): the alignment of the old and new text, the old text of
the passages concerned, the new text of every passage of the chapters concerned and which
chapter each is in. Passages are named by any hashable id; old and new ids are separate
namespaces (a row that continues has the same id in both).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from readings.alignment import TextAlignment
from readings.typography import Folded, fold


@dataclass
class TextChange:
    """The change the anchors are placed through.

    `old_texts`: old passage → its text before the change (a passage missing here is unknown).
    `new_texts`: new passage → its text now, for every passage that may be searched.
    `chapters`: new chapter → its passages in order; `chapter_of`: new passage → its chapter.
    `fallback_chapters`: old passage → chapters to search when none of its text survived
    (the chapters that took over its chapter's text).
    """

    alignment: TextAlignment
    old_texts: Mapping[Hashable, str]
    new_texts: Mapping[Hashable, str]
    chapters: Mapping[Hashable, Sequence[Hashable]]
    chapter_of: Mapping[Hashable, Hashable]
    fallback_chapters: Mapping[Hashable, Sequence[Hashable]] = field(default_factory=dict)
    _folded: dict = field(default_factory=dict, repr=False)
    _folded_old: dict = field(default_factory=dict, repr=False)

    def old_text(self, old: Hashable) -> str | None:
        return self.old_texts.get(old)

    def folded(self, new: Hashable) -> Folded:
        """The new text of passage `new`, folded (computed once)."""
        if new not in self._folded:
            self._folded[new] = fold(self.new_texts[new])
        return self._folded[new]

    def folded_old(self, old: Hashable) -> Folded:
        """The old text of passage `old`, folded (computed once)."""
        if old not in self._folded_old:
            self._folded_old[old] = fold(self.old_texts.get(old) or "")
        return self._folded_old[old]
