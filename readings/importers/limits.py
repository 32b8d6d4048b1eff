"""What one import may cost: the bounds every importer shares, and the budget that counts.

A hostile file can be small and still ask for a great deal: a 2 MB EPUB whose `mimetype`
inflates to 2 GiB, forty members of 45 MB each, a text of millions of one-letter paragraphs,
a PDF of endless pages. Each import therefore runs against an `ImportLimits`, read from the
settings (with the defaults below when a setting is absent):

- `READING_IMPORT_MAX_MEMBER_BYTES` (16 MiB): uncompressed bytes of one member read from an
  archive (EPUB), or of one stream decoded from a PDF;
- `READING_IMPORT_MAX_UNCOMPRESSED_BYTES` (64 MiB): uncompressed bytes of all members together;
- `READING_IMPORT_MAX_MEMBERS` (5,000): members (files) in an archive;
- `READING_IMPORT_MAX_ELEMENTS` (500,000): HTML elements parsed, all documents together;
- `READING_IMPORT_MAX_PASSAGES` (100,000): passages in one reading;
- `READING_IMPORT_MAX_PASSAGE_CHARS` (100,000): characters in one passage;
- `READING_IMPORT_MAX_PAGES` (2,000): pages of a PDF;
- `READING_IMPORT_MAX_SECONDS` (20): seconds of parsing.

Sizes are checked twice: first from what the file says (a zip's headers, a PDF's page count),
and again while reading, because headers can lie — a member is read in chunks and refused as
soon as it passes its bound, so no more than the bound plus one chunk is ever inflated.

Past any bound the import stops with one `ReadingImportError` naming the limit and its
setting; nothing has been saved (parsing happens before any write). Memory ceiling: with the
defaults, every hostile file of `bench/imports.py` (decompression bombs, a million
paragraphs, 19 MB of elements, a 19 MB line, a gibibyte PDF stream, 3,000 pages) is refused
with the parsing process under 256 MB resident at its peak, about 135 MB of which is the
Python process with its libraries before it reads anything (bench/results/imports.json).

The budget of the import in progress lives in a context variable, as pypdf keeps its own
configuration: `parse_reading` (and each importer, when called on its own) opens it with
`import_budget()`, and the loops deep inside the importers charge it (`charge_passage`,
`charge_elements`, `check_time`) without every function having to pass it on.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from .base import ReadingImportError

MiB = 1024 * 1024
CHUNK = 64 * 1024
# How often (in charges) the clock is looked at: often enough to stop within a few ms.
_CLOCK_EVERY = 512

DEFAULTS = {
    "member_bytes": 16 * MiB,
    "total_bytes": 64 * MiB,
    "members": 5_000,
    "elements": 500_000,
    "passages": 100_000,
    "passage_chars": 100_000,
    "pages": 2_000,
    "seconds": 20.0,
}
SETTINGS = {
    "member_bytes": "READING_IMPORT_MAX_MEMBER_BYTES",
    "total_bytes": "READING_IMPORT_MAX_UNCOMPRESSED_BYTES",
    "members": "READING_IMPORT_MAX_MEMBERS",
    "elements": "READING_IMPORT_MAX_ELEMENTS",
    "passages": "READING_IMPORT_MAX_PASSAGES",
    "passage_chars": "READING_IMPORT_MAX_PASSAGE_CHARS",
    "pages": "READING_IMPORT_MAX_PAGES",
    "seconds": "READING_IMPORT_MAX_SECONDS",
}


def _mb(count: int) -> str:
    """1 MB is 1,048,576 bytes here, as in the upload limit's message."""
    if count >= 1024 * MiB:
        return f"{count / (1024 * MiB):.3g} GB"
    return f"{count / MiB:.3g} MB" if count >= MiB else f"{count:,} bytes"


@dataclass(frozen=True)
class ImportLimits:
    member_bytes: int = DEFAULTS["member_bytes"]
    total_bytes: int = DEFAULTS["total_bytes"]
    members: int = DEFAULTS["members"]
    elements: int = DEFAULTS["elements"]
    passages: int = DEFAULTS["passages"]
    passage_chars: int = DEFAULTS["passage_chars"]
    pages: int = DEFAULTS["pages"]
    seconds: float = DEFAULTS["seconds"]

    @classmethod
    def from_settings(cls) -> ImportLimits:
        """The limits in the Django settings, the defaults for any not set (or without Django)."""
        try:
            from django.conf import settings

            configured = settings.configured
        except ImportError:  # pragma: no cover - Django is always installed here
            configured = False
        if not configured:
            return cls()
        values = {
            name: getattr(settings, setting, DEFAULTS[name]) for name, setting in SETTINGS.items()
        }
        return cls(**values)


def limit_error(what: str, limit: str, name: str) -> ReadingImportError:
    """The one message for a bound passed: what was too much, the limit, and its setting."""
    return ReadingImportError(f"{what}; the limit is {limit} ({SETTINGS[name]}).")


@dataclass
class ImportBudget:
    """What the import in progress has used so far, against its limits."""

    limits: ImportLimits
    started: float = field(default_factory=time.monotonic)
    bytes_read: int = 0
    elements: int = 0
    passages: int = 0
    _ticks: int = 0

    def check_time(self) -> None:
        if time.monotonic() - self.started > self.limits.seconds:
            raise limit_error(
                "Reading the file took too long", f"{self.limits.seconds:g} seconds", "seconds"
            )

    def _tick(self, count: int = 1) -> None:
        self._ticks += count
        if self._ticks >= _CLOCK_EVERY:
            self._ticks = 0
            self.check_time()

    def charge_passage(self, text: str) -> None:
        """One more passage of `text`."""
        self.passages += 1
        self.check_passage_count(self.passages)
        if len(text) > self.limits.passage_chars:
            raise limit_error(
                f"A passage is too long ({len(text):,} characters)",
                f"{self.limits.passage_chars:,} characters per passage",
                "passage_chars",
            )
        self._tick()

    def check_passage_count(self, count: int) -> None:
        """Refuse `count` passages (or blocks that would each make one) past the bound."""
        if count > self.limits.passages:
            raise limit_error(
                "The file holds too many passages",
                f"{self.limits.passages:,} passages per reading",
                "passages",
            )

    def charge_elements(self, count: int = 1) -> None:
        self.elements += count
        if self.elements > self.limits.elements:
            raise limit_error(
                "The file holds too many HTML elements",
                f"{self.limits.elements:,} elements",
                "elements",
            )
        self._tick(count)

    def check_pages(self, count: int) -> None:
        if count > self.limits.pages:
            raise limit_error(
                f"The PDF has too many pages ({count:,})", f"{self.limits.pages:,} pages", "pages"
            )

    def check_members(self, archive: zipfile.ZipFile) -> None:
        """The number of members and their sizes all together, as the archive's headers
        declare them: a member that would inflate to gigabytes is refused before any byte of
        it is read, even one the importer would never read."""
        infos = archive.infolist()
        if len(infos) > self.limits.members:
            raise limit_error(
                f"The archive holds too many files ({len(infos):,})",
                f"{self.limits.members:,} files",
                "members",
            )
        declared = sum(info.file_size for info in infos)
        if declared > self.limits.total_bytes:
            raise limit_error(
                f"The archive's files are too large taken together ({_mb(declared)} uncompressed)",
                f"{_mb(self.limits.total_bytes)} uncompressed",
                "total_bytes",
            )

    def read_member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        """A member's bytes, refused past the per-member or total bound: first by the size its
        header declares, then while inflating, chunk by chunk, since headers can lie."""
        allowed = min(self.limits.member_bytes, self.limits.total_bytes - self.bytes_read)
        self._check_member_size(info.filename, info.file_size, allowed)
        chunks: list[bytes] = []
        size = 0
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                size += len(chunk)
                self._check_member_size(info.filename, size, allowed)
                chunks.append(chunk)
                self._tick()
        self.bytes_read += size
        return b"".join(chunks)

    def _check_member_size(self, name: str, size: int, allowed: int) -> None:
        if size <= allowed:
            return
        if allowed < self.limits.member_bytes:
            raise limit_error(
                "The archive's files are too large taken together",
                f"{_mb(self.limits.total_bytes)} uncompressed",
                "total_bytes",
            )
        raise limit_error(
            f"The archive holds a file too large to read ({name})",
            f"{_mb(self.limits.member_bytes)} uncompressed per file",
            "member_bytes",
        )


_CURRENT: ContextVar[ImportBudget | None] = ContextVar("reading_import_budget", default=None)


@contextmanager
def import_budget(limits: ImportLimits | None = None) -> Iterator[ImportBudget]:
    """The budget of the import in progress: the one already open, else a new one with
    `limits` (by default from the settings) that lasts until the block ends."""
    active = _CURRENT.get()
    if active is not None:
        yield active
        return
    budget = ImportBudget(limits or ImportLimits.from_settings())
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


def current() -> ImportBudget:
    """The open budget; outside any import, a fresh one with the settings' limits (so that a
    helper used on its own is still bounded)."""
    return _CURRENT.get() or ImportBudget(ImportLimits.from_settings())


def charge_passage(text: str) -> None:
    budget = _CURRENT.get()
    if budget is not None:
        budget.charge_passage(text)


def charge_elements(count: int = 1) -> None:
    budget = _CURRENT.get()
    if budget is not None:
        budget.charge_elements(count)


def check_time() -> None:
    budget = _CURRENT.get()
    if budget is not None:
        budget.check_time()
