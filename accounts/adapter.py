"""allauth glue: new accounts get a display name from their email, and someone who signs up
from a page that asked them to (an invitation) comes back to it after their first log-in.

allauth keeps a sign-up's `next` only while the sign-up waits in the session; with mandatory
verification and no log-in on confirmation, confirming the email drops it, and the log-in that
follows goes to LOGIN_REDIRECT_URL. So the page to come back to is kept in the session under
RETURN_TO (by `remember_return`: the invitation page does it for anonymous visitors, and the
sign-up does it for its `next`) and used once, by the next log-in that names no `next`.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_next_redirect_url
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

RETURN_TO = "accounts.return_to"


def _is_local(url: str) -> bool:
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)


def remember_return(request: HttpRequest, url: str) -> None:
    """Come back to `url` (a path on this site) after the next log-in that names no `next`."""
    if _is_local(url) and request.session.get(RETURN_TO) != url:
        request.session[RETURN_TO] = url


def forget_return(request: HttpRequest) -> None:
    request.session.pop(RETURN_TO, None)


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user) -> None:
        """Users have no username; nothing to fill in."""

    def save_user(self, request, user, form, commit=True):
        """A sign-up's `next` outlives the email confirmation (see the module docstring)."""
        user = super().save_user(request, user, form, commit=commit)
        next_url = get_next_redirect_url(request)
        if next_url:
            remember_return(request, next_url)
        return user

    def get_login_redirect_url(self, request) -> str:
        """The page kept for after log-in, once; otherwise LOGIN_REDIRECT_URL."""
        url = request.session.pop(RETURN_TO, None)
        if url and _is_local(url):
            return url
        return super().get_login_redirect_url(request)
