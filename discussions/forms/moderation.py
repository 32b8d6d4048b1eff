"""Forms of moderation: a member's flag, a moderator's reason to hide or ban, a review."""

from __future__ import annotations

from django import forms

from discussions.models import FlagReason, FlagResolution

MAX_REASON = 300


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
        label="Why are you flagging this comment?",
        error_messages={"required": "Choose why you are flagging this comment."},
    )
    note = forms.CharField(
        required=False,
        max_length=1000,
        label="A note for the moderators (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_note(self) -> str:
        return self.cleaned_data["note"].strip()


class ReasonField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", MAX_REASON)
        kwargs.setdefault("label", "Reason")
        kwargs.setdefault("error_messages", {"required": "Give a reason: it is shown in the log."})
        super().__init__(**kwargs)

    def clean(self, value):
        value = " ".join((value or "").split())
        return super().clean(value)


class HideForm(forms.Form):
    reason = ReasonField(
        help_text="Its author and the moderators see this; other members only see that a "
        "moderator hid it.",
    )


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        choices=[(FlagResolution.KEPT, "Keep"), (FlagResolution.HIDDEN, "Hide")],
        error_messages={"required": "Choose to keep or hide the comment."},
    )
    reason = ReasonField(required=False)


class BanForm(forms.Form):
    """Ban one of `people` (the members this moderator may ban) with a reason."""

    user = forms.TypedChoiceField(
        coerce=int,
        label="Member",
        error_messages={"invalid_choice": "Choose a member of this circle you may ban."},
    )
    reason = ReasonField(help_text="Shown in the circle's moderation log.")

    def __init__(self, *args, people: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["user"].choices = [("", "Choose a member…")] + [
            (person.pk, person.name) for person in people
        ]

    def clean_user(self):
        return self.people[self.cleaned_data["user"]]
