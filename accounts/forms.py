from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import ratelimit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest

from .models import User, time_zone_names, validate_time_zone


class TimeZoneInput(forms.TextInput):
    """A zone typed or picked from a list that filters as one types (common zones first):
    a text input with a datalist, which works without JavaScript."""

    template_name = "accounts/widgets/time_zone.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-list"
        context["widget"]["attrs"].setdefault("autocomplete", "off")
        context["zones"] = time_zone_names()
        return context


class TimeZoneField(forms.CharField):
    widget = TimeZoneInput
    default_error_messages = {"required": "Choose a time zone, such as Europe/Paris."}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 64)
        super().__init__(validators=[validate_time_zone], **kwargs)


def clean_name(value: str) -> str:
    return " ".join(value.split())


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneField(
        label="Time zone",
        help_text="Session times are shown in this zone. Type a city or region to find yours.",
    )

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "spoilers"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A form sent without it (an older page) keeps the choice already made.
        self.fields["spoilers"].required = False

    def clean_display_name(self) -> str:
        return clean_name(self.cleaned_data["display_name"])

    def clean_spoilers(self) -> str:
        return self.cleaned_data["spoilers"] or self.instance.spoilers


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, asking for a display name too, and taking the time zone the
    browser reports (a hidden field that `static/js/time-zone.js` fills; UTC without
    JavaScript, changed any time in Settings). Its honeypot is hidden by the stylesheet, not
    an inline style (the Content Security Policy forbids inline styles)."""

    display_name = forms.CharField(
        label="Your name",
        max_length=80,
        help_text="How other readers see you.",
        error_messages={"required": "Tell other readers what to call you."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    time_zone = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput(attrs={"data-detect-time-zone": ""})
    )

    field_order = ["email", "display_name", "password1", "password2", "time_zone"]

    def clean_display_name(self) -> str:
        name = clean_name(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError("Tell other readers what to call you.")
        return name

    def clean_time_zone(self) -> str:
        """The browser's zone if it is one we know, else UTC (nothing to refuse: the person
        did not type it)."""
        zone = self.cleaned_data.get("time_zone") or ""
        try:
            validate_time_zone(zone)
        except forms.ValidationError:
            return "UTC"
        return zone

    def custom_signup(self, request: HttpRequest, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.time_zone = zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["display_name", "time_zone"])
        if self.data.get("time_zone"):
            said = f"Session times will show in {zone.replace('_', ' ')}, your browser’s time zone."
        else:
            said = "Session times show in UTC for now."
        messages.info(request, f"{said} You can change it in Settings.")

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
