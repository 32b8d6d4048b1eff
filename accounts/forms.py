from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import ratelimit
from django import forms
from django.conf import settings
from django.http import HttpRequest

from .models import User, time_zone_choices


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices, label="Time zone")

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "spoilers"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A form sent without it (an older page) keeps the choice already made.
        self.fields["spoilers"].required = False

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())

    def clean_spoilers(self) -> str:
        return self.cleaned_data["spoilers"] or self.instance.spoilers


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, with its honeypot hidden by the stylesheet, not an inline style
    (the Content Security Policy forbids inline styles)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        honeypot = settings.ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD
        if honeypot in self.fields:
            self.fields[honeypot].widget.attrs = {
                "class": "honeypot",
                "tabindex": "-1",
                "autocomplete": "off",
                "aria-hidden": "true",
                "aria-label": "Leave this field empty",
            }


class DeleteAccountForm(forms.Form):
    """Confirm with the password (re-authentication) before the account is deleted.

    Wrong passwords count against allauth's `delete_account` rate limit (ACCOUNT_RATE_LIMITS,
    per user, in the shared cache): past it, even the right password is refused until the
    window is over, so a borrowed session cannot be used to guess the password here."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args, **kwargs) -> None:
        self.request = request
        self.user: User = request.user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        limit = {"action": "delete_account", "user": self.user}
        if not ratelimit.consume(self.request, **limit, dry_run=True):
            raise forms.ValidationError("Too many wrong passwords. Try again in five minutes.")
        if not self.user.check_password(password):
            ratelimit.consume(self.request, **limit)
            raise forms.ValidationError("That is not your password.")
        return password
