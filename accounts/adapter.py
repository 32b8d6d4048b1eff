"""allauth glue: new accounts get a display name from their email."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user) -> None:
        """Users have no username; nothing to fill in."""
