"""Small `make_*` functions that build valid objects with sensible defaults."""

from __future__ import annotations

import itertools

from allauth.account.models import EmailAddress

from accounts.models import User

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_user(
    email: str | None = None, *, verified: bool = True, password: str = PASSWORD, **kwargs
) -> User:
    """A user who can log in by email (verified unless told otherwise)."""
    email = email or f"reader{next(_numbers)}@example.org"
    user = User.objects.create_user(email=email, password=password, **kwargs)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user
