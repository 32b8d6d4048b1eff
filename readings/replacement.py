"""Replacing a reading's whole text from a file: preview, then confirm.

`preview_replacement` runs the real re-import (`readings.services.reimport`) — its receivers
included, so every thread's fate is the real re-anchoring's — inside a transaction that is
rolled back, and returns a `ReplacementReport`: the chapters before → after (added, removed,
renamed, renumbered), the passages kept / changed / added / removed, and the receivers'
sections ("threads": every thread's fate; "sessions": the sessions whose chapter range
changes). `replace_text` does the same for good, in one transaction, records a
`TextReplacement` (who, when, which file, the counts) and compares the fates with the ones the
preview promised (threads may have been written since); `text_replaced` is sent on commit.

`queue_replacement` / `run_replacement` do the saving in a background task for large
readings, the record showing its progress.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .importers.base import ParsedReading
from .models import Passage, Reading, ReplacementState, TextReplacement
from .services import Reimport, reimport, summarize
from .signals import text_replaced

# Readings with more passages than this (before or after) are replaced in the background.
BACKGROUND_PASSAGES = 2000


def background_threshold() -> int:
    return getattr(settings, "READING_REPLACE_IN_BACKGROUND_PASSAGES", BACKGROUND_PASSAGES)


@dataclass
class Upload:
    """The file a text comes from."""

    data: bytes
    filename: str
    format: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class ReplacementReport:
    """What replacing the text does (or did). `sections` are the receivers' reports."""

    summary: dict
    chapters: dict[str, list[dict]]
    passages: dict[str, int]
    sections: dict = field(default_factory=dict)
    changed: bool = True

    @property
    def threads(self) -> dict:
        return self.sections.get("threads", {"stays": 0, "moves": 0, "drifted": 0, "orphaned": 0})

    @property
    def sessions(self) -> list[dict]:
        return self.sections.get("sessions", [])

    def fates(self) -> dict[str, dict]:
        """thread id (as a string, as JSON keeps it) → its fate and where it goes."""
        return {
            str(detail["thread"]): {"fate": detail["fate"], "to": detail.get("to")}
            for detail in self.threads.get("details", [])
        }

    def as_dict(self) -> dict:
        """The command's JSON: the import summary ("title", "author", "chapters"), extended
        with "changes" and the receivers' sections ("threads", "sessions")."""
        return {
            **self.summary,
            "changes": {"chapters": self.chapters, "passages": self.passages},
            **{"threads": self.threads, "sessions": self.sessions},
            **{k: v for k, v in self.sections.items() if k not in ("threads", "sessions")},
        }


def preview_replacement(reading: Reading, parsed: ParsedReading) -> ReplacementReport:
    """What replacing `reading`'s text with `parsed` would do; nothing is saved."""
    with transaction.atomic():
        result = reimport(Reading.objects.get(pk=reading.pk), parsed)
        transaction.set_rollback(True)
    return _report(parsed, result)


def replace_text(
    reading: Reading,
    parsed: ParsedReading,
    upload: Upload,
    *,
    user=None,
    expected: dict | None = None,
    record: TextReplacement | None = None,
) -> tuple[TextReplacement, ReplacementReport]:
    """Replace `reading`'s text with `parsed` in one transaction and record it.

    `expected` holds the fates the preview promised (`ReplacementReport.fates()`); the threads
    whose fate differs are kept in `TextReplacement.differences`. `record` is a queued record
    to complete (the background path); otherwise one is made.
    """
    with transaction.atomic():
        old_version = Reading.objects.values_list("text_version", flat=True).get(pk=reading.pk)
        result = reimport(reading, parsed)
        report = _report(parsed, result)
        record = record or TextReplacement(reading=reading)
        record.reading = reading
        record.replaced_by = user if user is not None else record.replaced_by
        record.filename = upload.filename[:255]
        record.size = len(upload.data)
        record.sha256 = upload.sha256
        record.format = parsed.format or upload.format
        record.state, record.stage, record.progress = ReplacementState.DONE, "", 100
        record.finished_at = timezone.now()
        record.old_version, record.new_version = old_version, result.reading.text_version
        record.expected = expected or {}
        record.differences = differences(expected, report) if expected is not None else []
        record.report = report.as_dict()
        record.upload = None
        _count(record, report)
        record.save()
        payload = report.as_dict()
        transaction.on_commit(
            lambda: text_replaced.send(
                sender=Reading, reading=result.reading, replacement=record, report=payload
            )
        )
    return record, report


def differences(expected: dict[str, dict], report: ReplacementReport) -> list[dict]:
    """Threads whose fate (or destination) is not what the preview said, or that the preview
    did not know: [{"thread", "expected", "actual"}]."""
    actual = report.fates()
    found = []
    for thread in sorted(set(expected) | set(actual), key=int):
        if expected.get(thread) != actual.get(thread):
            found.append(
                {
                    "thread": int(thread),
                    "expected": expected.get(thread),
                    "actual": actual.get(thread),
                }
            )
    return found


def needs_background(reading: Reading, parsed: ParsedReading) -> bool:
    """Whether replacing this text is slow enough to run as a background task."""
    new = sum(len(chapter.passages) for chapter in parsed.chapters)
    old = Passage.objects.filter(reading=reading).count()
    return max(new, old) > background_threshold()


def queue_replacement(
    reading: Reading, upload: Upload, *, user=None, expected: dict | None = None
) -> TextReplacement:
    """Make a queued record holding the file and the promised fates, and queue the task that
    replaces the text (on commit)."""
    from .tasks import replace_text_task

    record = TextReplacement.objects.create(
        reading=reading,
        replaced_by=user,
        filename=upload.filename[:255],
        size=len(upload.data),
        sha256=upload.sha256,
        format=upload.format,
        state=ReplacementState.QUEUED,
        stage="Waiting for a worker",
        expected=expected or {},
        upload=upload.data,
    )
    transaction.on_commit(lambda: replace_text_task.enqueue(record.pk))
    return record


def run_replacement(record_id: int) -> str:
    """The background task's work: parse the stored file and replace the text, telling the
    record how far it got. Returns the record's final state."""
    from .uploads import parse_upload

    record = TextReplacement.objects.select_related("reading").get(pk=record_id)
    if record.finished:
        return record.state
    _stage(record, "Reading the file", 10)
    upload = Upload(bytes(record.upload or b""), record.filename, record.format)
    try:
        parsed = parse_upload(upload.data, upload.filename, upload.format or None)
        _stage(record, "Placing the threads and saving the text", 40)
        replace_text(record.reading, parsed, upload, expected=record.expected, record=record)
    except Exception as error:  # the record says why; the text is as it was
        TextReplacement.objects.filter(pk=record.pk).update(
            state=ReplacementState.FAILED,
            stage="",
            error=str(error) or error.__class__.__name__,
            finished_at=timezone.now(),
        )
        raise
    return ReplacementState.DONE


def _stage(record: TextReplacement, stage: str, progress: int) -> None:
    """Say how far the task got (its own write, visible while the saving runs)."""
    record.state, record.stage, record.progress = ReplacementState.RUNNING, stage, progress
    TextReplacement.objects.filter(pk=record.pk).update(
        state=record.state, stage=stage, progress=progress
    )


def _report(parsed: ParsedReading, result: Reimport) -> ReplacementReport:
    chapters: dict[str, list[dict]] = {"added": [], "removed": [], "renamed": [], "renumbered": []}
    for change in sorted(result.chapters, key=lambda c: (c.new_number or 10**9, c.old_number or 0)):
        entry = {
            "before": None if change.added else _chapter(change.old_number, change.old_title),
            "after": None if change.removed else _chapter(change.new_number, change.new_title),
        }
        if change.added:
            chapters["added"].append(entry)
        elif change.removed:
            chapters["removed"].append(entry)
        else:
            if change.renamed:
                chapters["renamed"].append(entry)
            if change.renumbered:
                chapters["renumbered"].append(entry)
    return ReplacementReport(
        summary=summarize(parsed),
        chapters=chapters,
        passages=result.passages,
        sections=result.reports,
        changed=result.changed,
    )


def _chapter(number: int | None, title: str | None) -> dict:
    return {"number": number, "title": title or ""}


def _count(record: TextReplacement, report: ReplacementReport) -> None:
    record.chapters_added = len(report.chapters["added"])
    record.chapters_removed = len(report.chapters["removed"])
    record.chapters_renamed = len(report.chapters["renamed"])
    record.chapters_renumbered = len(report.chapters["renumbered"])
    record.passages_kept = report.passages.get("kept", 0)
    record.passages_changed = report.passages.get("changed", 0)
    record.passages_added = report.passages.get("added", 0)
    record.passages_removed = report.passages.get("removed", 0)
    threads = report.threads
    record.threads_stay = threads.get("stays", 0)
    record.threads_moved = threads.get("moves", 0)
    record.threads_drifted = threads.get("drifted", 0)
    record.threads_orphaned = threads.get("orphaned", 0)


def format_report(report: ReplacementReport) -> list[str]:
    """The report as lines of plain text (the command's output)."""
    lines = []
    summary = report.summary
    lines.append(summary["title"] + (f" by {summary['author']}" if summary["author"] else ""))
    if not report.changed:
        lines.append("The text is the same as the reading's: nothing would change.")
        return lines
    chapters = report.chapters
    lines.append(
        "Chapters: "
        + ", ".join(f"{len(chapters[kind])} {kind}" for kind in ("added", "removed", "renamed"))
        + f", {len(chapters['renumbered'])} renumbered"
    )
    for kind in ("added", "removed", "renamed", "renumbered"):
        for entry in chapters[kind]:
            lines.append(f"  {kind}: {_describe(entry['before'])} → {_describe(entry['after'])}")
    passages = report.passages
    lines.append(
        "Passages: "
        + ", ".join(f"{passages.get(k, 0)} {k}" for k in ("kept", "changed", "added", "removed"))
    )
    threads = report.threads
    lines.append(
        "Threads: "
        + ", ".join(
            f"{threads.get(k, 0)} {label}"
            for k, label in (
                ("stays", "stay"),
                ("moves", "move"),
                ("drifted", "drift"),
                ("orphaned", "orphaned"),
            )
        )
    )
    for detail in threads.get("details", []):
        quote = f"“{detail['quote']}”" if detail["quote"] else "(the whole passage)"
        where = _describe_place(detail["from"])
        line = f"  thread {detail['thread']} ({detail['circle']}) {quote} in {where}: "
        if detail["fate"] == "orphaned":
            line += "orphaned" + (" (already)" if detail.get("was_orphaned") else "")
        else:
            line += f"{detail['fate']} → {_describe_place(detail['to'])}"
        if detail["fate"] == "drifted":
            line += f", {round(detail['score'] * 100)}% “{detail['words']}”"
        lines.append(line)
    for session in report.sessions:
        lines.append(
            f"Session “{session['title']}” ({session['circle']}): {session['before']} → "
            f"{session['after']} ({session['why']})"
        )
    return lines


def _describe(chapter: dict | None) -> str:
    if chapter is None:
        return "—"
    return f"{chapter['number']}. {chapter['title'] or '(untitled)'}"


def _describe_place(place: dict | None) -> str:
    if not place:
        return "—"
    chapter = place.get("chapter")
    title = place.get("chapter_title") or ""
    where = f"chapter {chapter}" + (f" “{title}”" if title else "") if chapter else "no chapter"
    return f"{where}, passage {place.get('passage') or '—'}"
