"""Email each person one daily digest of the notifications they chose to get that way,
grouped by circle (run it once a day, e.g. from cron; safe to run again or concurrently:
each notification is mailed once, and a run with nothing waiting sends nothing). It also
retries the right-away emails that could not be sent earlier (the mail server was down)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications.delivery import retry_unsent, send_digests


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would get a digest; send nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        if not dry_run:
            retried = retry_unsent()
            if retried:
                self.stdout.write(f"Sent {retried} right-away emails that had failed before.")
        lines = send_digests(dry_run=dry_run)
        verb = "Would send a digest to" if dry_run else "Sent a digest to"
        for line in lines:
            self.stdout.write(f"{verb} {line}")
        self.stdout.write(f"{verb} {len(lines)} people.")
