"""The permission matrix the circle, session and reader tests share: who is who, a client
signed in as them, and what each should get. Outsiders of a private circle get 404,
people who can see a circle but lack the right get 403, anonymous visitors of a login-only
page are sent to log in (`LOGIN`), the allowed get the page (or the redirect after a POST)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

PEOPLE = ["anonymous", "outsider", "member", "moderator", "organizer", "staff"]
EVERYONE = frozenset(PEOPLE)
INSIDERS = frozenset({"member", "moderator", "organizer", "staff"})
MEMBERS = frozenset({"member", "moderator", "organizer"})
ORGANIZERS = frozenset({"organizer"})
LOGIN = "login"


def everyone(*, organizer, moderator, member, outsider, staff, **others) -> dict:
    """The shared people by the names the tables use ("anonymous" is nobody)."""
    return {
        "anonymous": None,
        "outsider": outsider,
        "member": member,
        "moderator": moderator,
        "organizer": organizer,
        "staff": staff,
        **others,
    }


def client_as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def outcome(response: HttpResponse) -> int | str:
    """The status code, or LOGIN for a redirect to the login page."""
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return LOGIN
    return response.status_code


@dataclass(frozen=True)
class Rule:
    """Who gets `ok`: `allowed` in a public circle, `private` (or `allowed`) in a private one."""

    allowed: frozenset[str]
    private: frozenset[str] | None = None
    ok: int = 200
    login_required: bool = True

    def allows(self, person: str, visibility: str) -> bool:
        allowed = self.allowed
        if visibility == "private" and self.private is not None:
            allowed = self.private
        return person in allowed

    def expect(self, person: str, visibility: str) -> int | str:
        if self.allows(person, visibility):
            return self.ok
        if person == "anonymous" and self.login_required:
            return LOGIN
        if visibility == "private" and person in {"anonymous", "outsider"}:
            return 404
        return 403
