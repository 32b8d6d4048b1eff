"""Forms for a circle's sessions: one session, a planned schedule, notes, an RSVP."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time

from django import forms
from django.db import transaction

from discussions.models import Circle, Meeting, RSVPAnswer
from discussions.planner import CADENCES, local_to_utc
from readings.models import Chapter, Reading, reading_minutes

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def local_parts(moment: datetime, time_zone: str) -> tuple[date, time]:
    local = moment.astimezone(zoneinfo.ZoneInfo(time_zone))
    return local.date(), local.time().replace(second=0, microsecond=0)


class SessionForm(forms.ModelForm):
    """One session; the start is entered as a date and a time in the circle's zone."""

    first_number = forms.IntegerField(label="First chapter", min_value=1)
    last_number = forms.IntegerField(label="Last chapter", min_value=1)
    date = forms.DateField(widget=DATE_WIDGET)
    time = forms.TimeField(widget=TIME_WIDGET)

    field_order = [
        "title", "reading", "first_number", "last_number", "date", "time",
        "duration_minutes", "place", "video_url", "agenda",
    ]  # fmt: skip

    class Meta:
        model = Meeting
        fields = ["title", "reading", "duration_minutes", "place", "video_url", "agenda"]
        labels = {"duration_minutes": "Duration (minutes)", "video_url": "Video link"}
        help_texts = {
            "place": "Where you meet in person, if you do.",
            "video_url": "A link to the call, if there is one.",
            "agenda": "Markdown: questions to discuss, what to bring.",
        }

    def __init__(self, data=None, *, circle: Circle, instance: Meeting | None = None) -> None:
        super().__init__(data, instance=instance)
        self.circle = circle
        self.fields["reading"].queryset = circle.readings.order_by("title")
        self.fields["reading"].empty_label = None
        self.fields["duration_minutes"].widget.attrs.update(min=15, max=600, step=15)
        self.fields["date"].help_text = f"In the circle’s time zone, {circle.time_zone}."
        if instance is not None and instance.pk:
            self.initial["date"], self.initial["time"] = local_parts(
                instance.starts_at, circle.time_zone
            )
            self.initial["first_number"] = instance.first_chapter.number
            self.initial["last_number"] = instance.last_chapter.number

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean(self) -> dict:
        cleaned = super().clean()
        reading: Reading | None = cleaned.get("reading")
        first, last = cleaned.get("first_number"), cleaned.get("last_number")
        if reading is not None and first is not None and last is not None:
            chapters = {
                chapter.number: chapter
                for chapter in Chapter.objects.filter(reading=reading, number__in={first, last})
            }
            count = reading.chapters.count() if len(chapters) < len({first, last}) else None
            for name, number in (("first_number", first), ("last_number", last)):
                if number not in chapters:
                    self.add_error(name, f"“{reading}” has chapters 1 to {count}.")
            if first in chapters and last in chapters:
                if last < first:
                    self.add_error("last_number", "The last chapter comes before the first one.")
                else:
                    self.instance.first_chapter = chapters[first]
                    self.instance.last_chapter = chapters[last]
        if cleaned.get("date") and cleaned.get("time"):
            self.instance.starts_at = local_to_utc(
                cleaned["date"], cleaned["time"], self.circle.time_zone
            )
        return cleaned

    def _post_clean(self) -> None:
        # Meeting.clean() compares chapters; skip it unless clean() settled them (its own
        # messages then name the form's fields).
        if (
            not self.has_error("first_number")
            and not self.has_error("last_number")
            and (self.instance.first_chapter_id and self.instance.last_chapter_id)
        ):
            super()._post_clean()
        else:
            forms.models.construct_instance(self, self.instance, self._meta.fields)

    def save(self, commit: bool = True, *, by=None) -> Meeting:
        self.instance.circle = self.circle
        if self.instance.pk is None:
            self.instance.created_by = by
        return super().save(commit=commit)


class PlanForm(forms.Form):
    """What to plan: a reading, when the first session is, how often, how many."""

    reading = forms.ModelChoiceField(queryset=Reading.objects.none(), empty_label=None)
    first_date = forms.DateField(label="First session on", widget=DATE_WIDGET)
    time = forms.TimeField(label="At", widget=TIME_WIDGET)
    cadence = forms.ChoiceField(choices=CADENCES.items(), initial="weekly")
    count = forms.IntegerField(label="Number of sessions", min_value=1, max_value=52, initial=6)
    duration_minutes = forms.IntegerField(
        label="Each lasts (minutes)", min_value=15, max_value=600, initial=90
    )
    place = forms.CharField(max_length=300, required=False, help_text="Optional.")
    video_url = forms.URLField(
        label="Video link", max_length=500, required=False, assume_scheme="https",
        help_text="Optional.",
    )  # fmt: skip

    def __init__(self, data=None, *, circle: Circle, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.circle = circle
        self.fields["reading"].queryset = circle.readings.order_by("title")
        self.fields["time"].help_text = f"In the circle’s time zone, {circle.time_zone}."
        self.fields["count"].widget.attrs.update(max=52)


class PlannedSessionForm(forms.Form):
    """One row of a proposed schedule, adjustable before saving."""

    title = forms.CharField(max_length=200)
    first_chapter = forms.TypedChoiceField(coerce=int, label="From chapter")
    last_chapter = forms.TypedChoiceField(coerce=int, label="To chapter")
    date = forms.DateField(widget=DATE_WIDGET)
    time = forms.TimeField(widget=TIME_WIDGET)

    def __init__(self, *args, chapters: list[Chapter], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.chapters = {chapter.number: chapter for chapter in chapters}
        choices = [(c.number, f"{c.number}. {c.display_title}") for c in chapters]
        self.fields["first_chapter"].choices = choices
        self.fields["last_chapter"].choices = choices

    def clean(self) -> dict:
        cleaned = super().clean()
        first, last = cleaned.get("first_chapter"), cleaned.get("last_chapter")
        if first is not None and last is not None and last < first:
            self.add_error("last_chapter", "The last chapter comes before the first one.")
        return cleaned

    @property
    def minutes(self) -> int | None:
        """Reading time of the row's chapters, from what is in the row now."""
        try:
            first = int(self["first_chapter"].value())
            last = int(self["last_chapter"].value())
        except (TypeError, ValueError):
            return None
        words = sum(c.word_count for n, c in self.chapters.items() if first <= n <= last)
        return reading_minutes(words)


class BasePlanFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(form.cleaned_data for form in self.forms):
            raise forms.ValidationError("There are no sessions to save.")

    @transaction.atomic
    def save(self, *, circle: Circle, reading: Reading, plan: dict, by) -> list[Meeting]:
        """Create every row's session, all or none."""
        meetings = []
        for form in self.forms:
            row = form.cleaned_data
            if not row:
                continue
            meeting = Meeting(
                circle=circle,
                reading=reading,
                title=row["title"],
                first_chapter=form.chapters[row["first_chapter"]],
                last_chapter=form.chapters[row["last_chapter"]],
                starts_at=local_to_utc(row["date"], row["time"], circle.time_zone),
                duration_minutes=plan["duration_minutes"],
                place=plan["place"],
                video_url=plan["video_url"],
                created_by=by,
            )
            meeting.save()
            meetings.append(meeting)
        return meetings


PlanFormSet = forms.formset_factory(
    PlannedSessionForm, formset=BasePlanFormSet, extra=0, max_num=52, validate_max=True
)


class NotesForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["notes"]
        help_texts = {"notes": "Markdown: what was said, what to read next, who brings cake."}


class RSVPForm(forms.Form):
    answer = forms.ChoiceField(choices=RSVPAnswer.choices)
