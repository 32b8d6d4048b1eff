"""The sections the library's pages offer to the apps above (see `accounts.sections`), each
filled with the keyword arguments given:

readings.reading.circles  a reading's page in the library: the viewer's circles that read it,
                          into their margins (`reading`).
readings.chapter.circles  a chapter in the plain reader: the same, into that chapter's
                          margins (`chapter`).
"""

from __future__ import annotations

READING_CIRCLES = "readings.reading.circles"
CHAPTER_CIRCLES = "readings.chapter.circles"
