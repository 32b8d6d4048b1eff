"""Import a text file as a new reading: prints the chapters found (titles, passages, words).

With --dry-run nothing is saved; with --json the summary is printed as JSON:
{"title", "author", "title_from_file_name", "chapters": [{"title", "kind", "passages",
"words"}]}, where a chapter's kind is "front" (front matter), "main" or "back" (back matter).
When the file names no title and it comes from the file name, a warning says so (on stderr).
A file that cannot be read as a text stops the command with the importer's message and saves
nothing.

With --into READING_SLUG the file replaces that reading's text instead, keeping what continues
(`readings.replacement`): it prints what changes — chapters added, removed, renamed and
renumbered, passages kept, changed, added and removed, every thread's fate (stays, moves,
drifted, orphaned) and the sessions whose chapters change — and saves only without --dry-run.
Its JSON extends the summary: {"title", "author", "chapters": [...], "changes": {"chapters":
{...}, "passages": {...}}, "threads": {"stays", "moves", "drifted", "orphaned", "details"},
"sessions": [...]}.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from readings.importers.base import ReadingImportError
from readings.services import save_parsed_reading, summarize
from readings.uploads import parse_upload


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="the file to import")
        parser.add_argument("--title", help="the reading's title (default: found in the file)")
        parser.add_argument("--author", help="the author (default: found in the file)")
        parser.add_argument("--format", help="the file's format (default: detected)")
        parser.add_argument("--dry-run", action="store_true", help="show, save nothing")
        parser.add_argument(
            "--into",
            metavar="READING_SLUG",
            help="replace this reading's text with the file's (preview it with --dry-run)",
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the summary as JSON"
        )

    def handle(self, *args, path: Path, title, author, format, dry_run, as_json, **options):
        into = options.get("into")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            parsed = parse_upload(data, path.name, format)
        except ReadingImportError as error:
            raise CommandError(str(error)) from error
        if title:
            parsed.title = title
            parsed.title_from_file_name = False
        if author is not None:
            parsed.author = author
        if parsed.title_from_file_name and not into:
            self.stderr.write(
                self.style.WARNING(
                    f"Warning: the file names no title; “{parsed.title}” comes from the file "
                    "name. Give the real one with --title."
                )
            )
        if into:
            self._replace_into(into, parsed, data, path.name, format, dry_run, as_json)
            return

        summary = summarize(parsed)
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self._print_summary(summary)
        if dry_run:
            if not as_json:
                self.stdout.write("Dry run: nothing saved.")
            return
        try:
            with transaction.atomic():
                reading = save_parsed_reading(parsed)
        except ReadingImportError as error:
            raise CommandError(str(error)) from error
        if not as_json:
            self.stdout.write(
                self.style.SUCCESS(f"Saved “{reading.title}” at {reading.get_absolute_url()}")
            )

    def _replace_into(self, slug, parsed, data, filename, format, dry_run, as_json) -> None:
        from readings.models import Reading
        from readings.replacement import (
            Upload,
            format_report,
            preview_replacement,
            replace_text,
        )

        reading = Reading.objects.filter(slug=slug).first()
        if reading is None:
            raise CommandError(f"There is no reading “{slug}”.")
        try:
            if dry_run:
                report = preview_replacement(reading, parsed)
            else:
                _, report = replace_text(reading, parsed, Upload(data, filename, format or ""))
        except ReadingImportError as error:
            raise CommandError(str(error)) from error
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        for line in format_report(report):
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing saved.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Replaced the text of “{reading.title}”."))

    def _print_summary(self, summary: dict) -> None:
        self.stdout.write(summary["title"])
        if summary["author"]:
            self.stdout.write(f"by {summary['author']}")
        chapters = summary["chapters"]
        passages = sum(c["passages"] for c in chapters)
        words = sum(c["words"] for c in chapters)
        self.stdout.write(
            f"{_count(len(chapters), 'chapter')}, {_count(passages, 'passage')}, "
            f"{_count(words, 'word')}"
        )
        for number, chapter in enumerate(chapters, 1):
            kind = {"front": " [front matter]", "back": " [back matter]"}.get(chapter["kind"], "")
            self.stdout.write(
                f"{number:>4}. {chapter['title'] or '(untitled)'}{kind} — "
                f"{_count(chapter['passages'], 'passage')}, {_count(chapter['words'], 'word')}"
            )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
