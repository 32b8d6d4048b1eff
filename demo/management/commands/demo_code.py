"""Print the code the demo staff admin's authenticator app shows now (it changes every 30
seconds), to sign in as them after the password."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from accounts.demo import DEMO_TOTP_SECRET
from accounts.second_factor import current_code


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options) -> None:
        self.stdout.write(current_code(DEMO_TOTP_SECRET))
