from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings

from .models import User, time_zone_choices


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices, label="Time zone")

    class Meta:
        model = User
        fields = ["display_name", "time_zone"]

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())


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
