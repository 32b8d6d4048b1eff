"""Set up the demo and serve it: migrate, create the demo people, import the seed readings,
make a public circle with a planned schedule, RSVPs, members' places in the reading and
threads (some on chapters Mina has not reached) and a private circle with an invite link,
print the logins, then serve on http://127.0.0.1:8000 with a task worker beside it.

Running it again changes nothing that is already there. Use --no-serve to stop after set-up,
--addrport to serve elsewhere (links in emails and feeds follow it, unless SITE_URL is set).
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count

from accounts.demo import DEMO_PASSWORD, DEMO_PEOPLE, DEMO_TOTP_SECRET, ensure_demo_people
from accounts.second_factor import current_code
from circles.demo import (
    ensure_demo_circles,
    ensure_demo_live_meeting,
    ensure_demo_meetings,
    ensure_demo_places,
)
from discussions.demo import ensure_demo_threads
from notifications.models import Notification
from readings.demo import ensure_demo_readings


def unread_by_person() -> list[tuple[str, int]]:
    rows = (
        Notification.objects.unread()
        .values_list("recipient__email")
        .annotate(count=Count("pk"))
        .order_by("-count", "recipient__email")
    )
    return list(rows)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Set up, but do not serve.")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="Where to serve.")

    def handle(self, *args, no_serve: bool, addrport: str, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        with transaction.atomic():
            people = ensure_demo_people()
            readings = ensure_demo_readings()
            circles = ensure_demo_circles(people, readings)
            ensure_demo_meetings(circles["public"], people, readings)
            circles["live"] = ensure_demo_live_meeting(circles["public"], people, readings)
            ensure_demo_places(circles["public"], people, readings)
            ensure_demo_threads(circles["public"], people, readings)
        self.print_summary(readings, circles, addrport)
        if not no_serve:
            self.serve(addrport)

    def print_summary(self, readings: list, circles: dict, addrport: str) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS("Marginalia demo is ready."))
        out.write("")
        out.write(f"Log in at http://{addrport}/accounts/login/ with any of these")
        out.write(f"(password for all: {DEMO_PASSWORD}):")
        for person in DEMO_PEOPLE:
            out.write(f"  {person.role:<12} {person.email:<32} {person.display_name}")
        out.write("")
        if readings:
            out.write("Readings:")
            for reading in readings:
                out.write(f"  {reading.title}  →  http://{addrport}{reading.get_absolute_url()}")
            out.write("")
        out.write("Circles:")
        for circle in (circles["public"], circles["private"]):
            out.write(f"  {circle.name}  →  http://{addrport}{circle.get_absolute_url()}")
        if circles.get("live") is not None:
            live_url = f"http://{addrport}{circles['live'].get_absolute_url()}"
            out.write(f"A session on now, with its live margin and agenda: {live_url}")
        invite_url = f"http://{addrport}{circles['invite'].get_absolute_url()}"
        out.write(f"Invite link to the private circle: {invite_url}")
        out.write("")
        out.write(f"Administration: http://{addrport}/admin/ (as the staff admin)")
        out.write(
            "Staff sign in with a second factor too: the code of an authenticator app set up "
            f"with the demo secret {DEMO_TOTP_SECRET}"
        )
        out.write(
            f"(now {current_code(DEMO_TOTP_SECRET)}; a fresh one any time: "
            "uv run manage.py demo_code)."
        )
        unread = unread_by_person()
        if unread:
            out.write("")
            out.write("Unread notifications (the bell in the header):")
            for email, count in unread:
                out.write(f"  {email:<32} {count} unread")

    def serve(self, addrport: str) -> None:
        """Serve with runserver, and run queued tasks (emails) with a db_worker beside it.
        Links in emails and calendar feeds point where the demo serves, unless SITE_URL says
        otherwise."""
        environment = dict(os.environ)
        if not environment.get("SITE_URL"):
            environment["SITE_URL"] = settings.SITE_URL = f"http://{addrport}"
        worker = None
        if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--no-reload"], env=environment
            )
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
