"""How a person wants to hear about each kind of news: right away, in a digest, or never."""

from __future__ import annotations

from django import forms
from django.db import transaction

from .models import DIGESTIBLE_KINDS, EmailKind, EmailPreference, Frequency


class NotificationSettingsForm(forms.Form):
    """One choice per kind of email, saved together. The reminder the day before a session
    cannot wait for a digest."""

    def __init__(self, user, *args, **kwargs) -> None:
        self.user = user
        kwargs.setdefault("initial", EmailPreference.choices_of(user))
        super().__init__(*args, **kwargs)
        for kind in EmailKind:
            choices = [
                (value, label)
                for value, label in Frequency.choices
                if value != Frequency.DIGEST or kind.value in DIGESTIBLE_KINDS
            ]
            self.fields[kind.value] = forms.ChoiceField(label=kind.label, choices=choices)

    @transaction.atomic
    def save(self) -> None:
        """Store the choices; "right away" is the default, so it needs no row."""
        for kind in EmailKind.values:
            frequency = self.cleaned_data[kind]
            if frequency == Frequency.IMMEDIATELY:
                EmailPreference.objects.filter(user=self.user, kind=kind).delete()
            else:
                EmailPreference.set(self.user, kind, frequency)

    @classmethod
    def all_set_to(cls, user, frequency: str) -> None:
        """Every kind at once: "never" (all off), or the digest for every kind that may wait
        for it (the reminder keeps its choice: a reminder the day after is no reminder)."""
        with transaction.atomic():
            for kind in EmailKind.values:
                if frequency == Frequency.DIGEST and kind not in DIGESTIBLE_KINDS:
                    continue
                EmailPreference.set(user, kind, frequency)
