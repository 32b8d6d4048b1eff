"""The demo's people: one of each role, with verified emails and a shared password; the staff
admin also has an authenticator app with a fixed demo secret (`DEMO_TOTP_SECRET`), as staff
must (accounts.second_factor): `manage.py demo` prints its current code, and so does
`manage.py demo_code`. The secret is public: it is for the demo only."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress

from .models import User
from .second_factor import add_authenticator_app

DEMO_PASSWORD = "read-together"
DEMO_TOTP_SECRET = "MARGINALIADEMOSTAFFSECRETXXXXXXX"  # base32: for the demo only


@dataclass(frozen=True)
class DemoPerson:
    email: str
    display_name: str
    role: str
    time_zone: str
    is_staff: bool = False


DEMO_PEOPLE = [
    DemoPerson("olive@demo.marginalia.test", "Olive Organizer", "organizer", "Europe/London"),
    DemoPerson("max@demo.marginalia.test", "Max Moderator", "moderator", "Europe/Berlin"),
    DemoPerson("mina@demo.marginalia.test", "Mina", "member", "America/New_York"),
    DemoPerson("noor@demo.marginalia.test", "Noor", "member", "Asia/Kolkata"),
    DemoPerson("pablo@demo.marginalia.test", "Pablo", "member", "America/Mexico_City"),
    DemoPerson("sam@demo.marginalia.test", "Sam Staff", "staff admin", "UTC", is_staff=True),
]


def ensure_demo_people() -> dict[str, User]:
    """Create the demo people once; running again changes nothing. Returns them by email."""
    people = {}
    for person in DEMO_PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(
                email=person.email,
                password=DEMO_PASSWORD,
                display_name=person.display_name,
                time_zone=person.time_zone,
                is_staff=person.is_staff,
                is_superuser=person.is_staff,
            )
        if person.is_staff:
            add_authenticator_app(user, DEMO_TOTP_SECRET)
        EmailAddress.objects.get_or_create(
            user=user, email=person.email, defaults={"primary": True, "verified": True}
        )
        people[person.email] = user
    return people
