from __future__ import annotations

from django import forms

from .models import User, time_zone_choices


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices, label="Time zone")

    class Meta:
        model = User
        fields = ["display_name", "time_zone"]

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())
