"""Forms of the margin: a new comment or reply, an edit, a moderator's re-attach; and of
moderation: a member's flag, a moderator's reason to hide or ban, a review."""

from __future__ import annotations

import uuid

from django import forms

from discussions.models import FlagReason, FlagResolution

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


# --- moderation ---------------------------------------------------------------------------

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


class AnnotationImportForm(forms.Form):
    """A file of annotations from another tool, and the circle's reading they are on."""

    file = forms.FileField(
        label="Annotations file",
        help_text="JSON: W3C Web Annotations (such as this app's own export) or a Hypothesis "
        "export. At most 5 MB.",
    )
    reading = forms.ModelChoiceField(queryset=None, empty_label=None, label="Onto the reading")

    def __init__(self, *args, circle, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reading"].queryset = circle.readings.order_by("title")


class AnnotationConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    reading = forms.IntegerField(widget=forms.HiddenInput)


class DiscussionSearchForm(forms.Form):
    """Search a circle's discussion: words, narrowed by reading, chapter, author, and to the
    threads no one has answered yet. Built for one circle (`readings`, `authors`)."""

    q = forms.CharField(label="Words, or “an exact phrase”", max_length=200, required=False)
    reading = forms.ChoiceField(label="Reading", required=False)
    chapter = forms.IntegerField(
        label="Chapter number", required=False, min_value=1, help_text="With a reading."
    )
    author = forms.TypedChoiceField(
        label="Written by", required=False, coerce=int, empty_value=None
    )
    unanswered = forms.BooleanField(label="Only threads nobody has answered", required=False)

    def __init__(self, data, *, readings, authors) -> None:
        super().__init__(data)
        self.readings = {reading.slug: reading for reading in readings}
        self.fields["reading"].choices = [("", "All readings")] + [
            (reading.slug, reading.title) for reading in readings
        ]
        self.fields["author"].choices = [("", "Anyone")] + [
            (str(user.pk), user.name) for user in authors
        ]

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("chapter") and not cleaned.get("reading"):
            self.add_error("chapter", "Choose a reading to search one of its chapters.")
        return cleaned
