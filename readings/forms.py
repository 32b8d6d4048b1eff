"""Forms of the library and the reader."""

from __future__ import annotations

from django import forms

from .search import MAX_QUERY


class TextSearchForm(forms.Form):
    """What to look for in a reading's text (the reader's search box)."""

    q = forms.CharField(label="Search the text", max_length=MAX_QUERY, required=False)

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    @property
    def query(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""
