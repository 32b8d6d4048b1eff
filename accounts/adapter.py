"""allauth glue: new accounts get a display name from their email, and someone who signs up
from a page that asked them to (an invitation) comes back to it after their first log-in.

allauth keeps a sign-up's `next` only while the sign-up waits in the session; confirming the
email (which logs the person in, in the browser they signed up in) or a later log-in goes to
LOGIN_REDIRECT_URL. So the page to come back to is kept in the session under RETURN_TO (by
`remember_return`: the invitation page does it for anonymous visitors, and the sign-up does it
for its `next`) and used once, by the next log-in that names no `next`.

allauth's emails name the site: as Marginalia, at the address in SITE_URL, not the host the
request came in on.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_next_redirect_url
from django.conf import settings
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


@dataclass(frozen=True)
class SiteName:
    """What allauth's email templates ask of `current_site`."""

    name: str
    domain: str


def site() -> SiteName:
    return SiteName("Marginalia", urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        super().send_mail(template_prefix, email, {**context, "current_site": site()})

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
        return _kept_page(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request) -> str:
        """Where the sign-up goes once the person is in (confirming their email logs them in):
        the page kept for after log-in (it stays kept until that page is seen, or a log-in)."""
        url = request.session.get(RETURN_TO)
        return url if url and _is_local(url) else super().get_signup_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address) -> str:
        """Confirming the email logs the person in: the page kept for after log-in, once."""
        return _kept_page(self.request) or super().get_email_verification_redirect_url(
            email_address
        )

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return _on_site(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return _on_site(super().get_reset_password_from_key_url(key))


def _kept_page(request: HttpRequest) -> str | None:
    url = request.session.pop(RETURN_TO, None)
    return url if url and _is_local(url) else None


def _on_site(url: str) -> str:
    """`url`'s path on the site's public address (SITE_URL), whatever host the request used."""
    parts = urlsplit(url)
    return settings.SITE_URL + parts._replace(scheme="", netloc="").geturl()
