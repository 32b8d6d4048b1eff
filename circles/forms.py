"""Forms for circles, their members, invitations and join requests."""

from __future__ import annotations

from django import forms
from django.db import transaction

from accounts.models import time_zone_choices
from circles.models import Circle, Invite, JoinRequest, Role, Visibility
from readings.models import Reading

MAX_INVITE_DAYS = 365
MAX_DESCRIPTION = 5000


class CircleForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        label="Time zone",
        help_text="Sessions are scheduled in this zone; each member sees them in their own.",
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        label="Who can see it",
        initial=Visibility.PUBLIC,
    )
    readings = forms.ModelMultipleChoiceField(
        queryset=Reading.objects.order_by("title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Readings from the library",
        help_text="You can add more later, or upload a new text.",
    )

    flag_threshold = forms.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        label="Flags that hide a comment",
        help_text="When this many members flag a comment, it is hidden until a moderator "
        "reviews it. 0 never hides comments automatically.",
        error_messages={
            "min_value": "The number of flags cannot be negative.",
            "max_value": "Choose at most 100 flags.",
        },
    )

    class Meta:
        model = Circle
        fields = [
            "name",
            "description",
            "visibility",
            "time_zone",
            "readings",
            "flag_threshold",
            "fold_spoilers",
        ]
        error_messages = {"name": {"required": "Give the circle a name."}}
        help_texts = {
            "description": "What the circle reads and how it meets. Markdown: *emphasis*, "
            "**strong**, [links](https://example.org), lists.",
        }

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and user is not None:
            self.initial.setdefault("time_zone", user.time_zone)
        if self.instance.pk is None:  # a new circle starts with the defaults; edit them later
            del self.fields["flag_threshold"]
            del self.fields["fold_spoilers"]
        self.fields["description"].widget.attrs["rows"] = 5

    def clean_description(self) -> str:
        description = self.cleaned_data["description"].strip()
        if len(description) > MAX_DESCRIPTION:
            raise forms.ValidationError(
                f"The description is {len(description):,} characters long; "
                f"keep it under {MAX_DESCRIPTION:,}."
            )
        return description

    def clean_flag_threshold(self) -> int:
        """Left empty, the circle keeps its threshold."""
        value = self.cleaned_data.get("flag_threshold")
        return self.instance.flag_threshold if value is None else value

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the circle a name.")
        return name

    @transaction.atomic
    def save_new(self, organizer) -> Circle:
        """Create the circle with `organizer` as its first organizer, all or nothing."""
        circle = self.save(commit=False)
        circle.created_by = organizer
        circle.save()
        self.save_m2m()
        circle.add_member(organizer, Role.ORGANIZER)
        return circle


class AddReadingForm(forms.Form):
    """Pick a reading from the library for a circle that does not read it yet."""

    reading = forms.ModelChoiceField(
        queryset=Reading.objects.none(),
        label="Reading",
        empty_label="Choose a reading…",
        error_messages={
            "required": "Choose a reading to add.",
            "invalid_choice": "That reading is not in the library, or the circle has it already.",
        },
    )

    def __init__(self, *args, circle: Circle, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reading"].queryset = Reading.objects.exclude(circles=circle).order_by("title")


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices,
        error_messages={"invalid_choice": "Choose organizer, moderator or member."},
    )


class InviteForm(forms.Form):
    days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=MAX_INVITE_DAYS,
        initial=14,
        error_messages={
            "min_value": "An invitation must last at least 1 day.",
            "max_value": f"An invitation can last at most {MAX_INVITE_DAYS} days.",
            "invalid": "Enter the number of days as a whole number, such as 14.",
            "required": "Say how many days the invitation lasts.",
        },
    )
    max_uses = forms.IntegerField(
        label="Number of uses",
        min_value=1,
        max_value=10_000,
        required=False,
        help_text="How many people may join with it. Leave empty for no limit.",
        error_messages={
            "min_value": "Allow at least 1 use, or leave it empty for no limit.",
            "max_value": "Allow at most 10,000 uses, or leave it empty for no limit.",
            "invalid": "Enter the number of uses as a whole number, or leave it empty.",
        },
    )

    def save(self, circle: Circle, by) -> Invite:
        return Invite.create_for(
            circle,
            by,
            days=self.cleaned_data["days"],
            max_uses=self.cleaned_data["max_uses"],
        )


class JoinRequestForm(forms.ModelForm):
    class Meta:
        model = JoinRequest
        fields = ["message"]
        labels = {"message": "A note for the organizers (optional)"}
        widgets = {"message": forms.Textarea(attrs={"rows": 3, "maxlength": 1000})}

    def clean_message(self) -> str:
        return self.cleaned_data["message"].strip()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline")],
        error_messages={"invalid_choice": "Choose approve or decline."},
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"
