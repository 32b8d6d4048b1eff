"""Email each member of a circle a reminder the day before a session (safe to run every few
minutes: nobody is reminded twice about one session)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications.reminders import send_due_reminders


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be reminded; send nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        lines = send_due_reminders(dry_run=dry_run)
        verb = "Would remind" if dry_run else "Reminded"
        for line in lines:
            self.stdout.write(f"{verb} {line}")
        self.stdout.write(f"{verb} {len(lines)} people.")
