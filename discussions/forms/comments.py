"""Forms of the margin: a new comment or reply, an edit, a moderator's re-attach."""

from __future__ import annotations

import uuid

from django import forms

BODY_HELP = (
    "Markdown works: *italics*, **bold**, [links](https://example.org), > quotes. "
    "Mention a member with @Name, or @[Full Name] when the name has spaces."
)
MAX_BODY = 10_000


class BodyField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Your comment")
        kwargs.setdefault("max_length", MAX_BODY)
        kwargs.setdefault("help_text", BODY_HELP)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return value.strip() if isinstance(value, str) else value


class CommentForm(forms.Form):
    """A new thread (whole passage, or `start`..`end` of its text) or a reply (`parent`).

    `idempotency_key` is made when the form is drawn; a resend of the same form is a no-op.
    """

    body = BodyField()
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    is_private = forms.BooleanField(
        required=False,
        label="Only me",
        help_text="A private note: nobody else sees it, not even in counts or highlights.",
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        if (data.get("start") is None) != (data.get("end") is None):
            raise forms.ValidationError(
                "The selection was incomplete. Select the words again, or comment on the "
                "whole passage."
            )
        return data


class ReplyForm(CommentForm):
    """The same fields; the label says what it is."""

    body = BodyField(label="Your reply")


class EditForm(forms.Form):
    body = BodyField(label="Edit your comment")


class ReattachForm(forms.Form):
    """A moderator's new place for a thread: a passage and, optionally, a phrase in it."""

    passage = forms.CharField(label="Passage key", max_length=16)
    start = forms.IntegerField(required=False, min_value=0, label="From character")
    end = forms.IntegerField(required=False, min_value=0, label="To character")

    def clean_passage(self) -> str:
        return self.cleaned_data["passage"].strip().removeprefix("#").removeprefix("p-")
