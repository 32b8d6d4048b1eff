"""Forms for a circle's sessions: one session, a planned schedule, notes, an RSVP.

Starts are entered as a date and a wall-clock time in the circle's zone (`resolve_start`): a
time the clocks skip (a daylight-saving gap) is refused, naming it; a time that happens twice
(the clocks go back) is the first of the two, and the form says so in `notices`; a new start
already past is refused (an edit may keep a past session's time, but not move one into the
past).
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time

from django import forms
from django.db import transaction
from django.utils import timezone

from circles.models import Circle, Meeting, RSVPAnswer
from circles.planner import CADENCES, local_to_utc, next_meeting_number
from readings.models import Chapter, Reading, reading_minutes

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_ERRORS = {"required": "Enter the day of the session.", "invalid": "Enter a date."}
TIME_ERRORS = {
    "required": "Enter the time the session starts.",
    "invalid": "Enter a time such as 19:30.",
}


def local_parts(moment: datetime, time_zone: str) -> tuple[date, time]:
    local = moment.astimezone(zoneinfo.ZoneInfo(time_zone))
    return local.date(), local.time().replace(second=0, microsecond=0)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def resolve_start(day: date, at: time, time_zone: str) -> tuple[datetime, str]:
    """The UTC start for `at` on `day` in `time_zone`, and a notice when that time happens
    twice (the first is taken). A time the clocks skip raises ValidationError naming it."""
    zone = zoneinfo.ZoneInfo(time_zone)
    at = at.replace(second=0, microsecond=0, fold=0)
    starts_at = local_to_utc(day, at, time_zone)
    round_trip = starts_at.astimezone(zone)
    if round_trip.replace(tzinfo=None) != datetime.combine(day, at):
        raise forms.ValidationError(
            f"{at:%H:%M} does not exist on {_day(day)} in {time_zone}: the clocks go forward. "
            f"Choose another time, such as {round_trip:%H:%M}."
        )
    notice = ""
    first = datetime.combine(day, at, tzinfo=zone)
    if first.utcoffset() != first.replace(fold=1).utcoffset():
        notice = (
            f"{at:%H:%M} happens twice on {_day(day)} in {time_zone}, as the clocks go back: "
            f"the session starts at the first, {at:%H:%M} {first.tzname()}."
        )
    return starts_at, notice


def past_error(starts_at: datetime, time_zone: str) -> str | None:
    """Why a start cannot be used (it has passed), or None."""
    now = timezone.now()
    if starts_at > now:
        return None
    day, at = local_parts(starts_at, time_zone)
    if day < local_parts(now, time_zone)[0]:
        return f"That date has passed: {_day(day)} is before today in {time_zone}."
    return f"That time has passed: {at:%H:%M} today in {time_zone} is already over."


def clean_start(
    form: forms.Form, date_field: str, time_zone: str, *, may_be_past: bool = False
) -> tuple[datetime, str] | None:
    """Check the start a form's `date_field` and "time" give in `time_zone`: a time the
    clocks skip is an error on the time, a start already past (unless `may_be_past`) one on
    the date. Returns the UTC start and `resolve_start`'s notice if the time exists, None if
    it does not or either field is missing."""
    day, at = form.cleaned_data.get(date_field), form.cleaned_data.get("time")
    if not (day and at):
        return None
    try:
        starts_at, notice = resolve_start(day, at, time_zone)
    except forms.ValidationError as error:
        form.add_error("time", error)
        return None
    if not may_be_past and (problem := past_error(starts_at, time_zone)):
        form.add_error(date_field, problem)
    return starts_at, notice


def chapter_label(chapter: Chapter) -> str:
    """A chapter as the lists name it: by its title (its place only when it has none)."""
    return chapter.display_title


class ChapterChoiceField(forms.ModelChoiceField):
    """A chapter of one of the circle's readings, named by its title."""

    default_error_messages = {
        "invalid_choice": "Choose one of the chapters in the list.",
    }

    def label_from_instance(self, obj: Chapter) -> str:
        return chapter_label(obj)


class MeetingForm(forms.ModelForm):
    """One session; the start is entered as a date and a time in the circle's zone, the
    chapters picked from lists that name them (grouped by reading when there are several)."""

    date = forms.DateField(widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    time = forms.TimeField(widget=TIME_WIDGET, error_messages=TIME_ERRORS)

    field_order = [
        "title", "reading", "first_chapter", "last_chapter", "date", "time",
        "duration_minutes", "place", "video_url", "agenda",
    ]  # fmt: skip

    class Meta:
        model = Meeting
        fields = [
            "title", "reading", "first_chapter", "last_chapter", "duration_minutes", "place",
            "video_url", "agenda",
        ]  # fmt: skip
        field_classes = {"first_chapter": ChapterChoiceField, "last_chapter": ChapterChoiceField}
        labels = {
            "first_chapter": "From chapter",
            "last_chapter": "To chapter",
            "duration_minutes": "Duration (minutes)",
            "video_url": "Video link",
        }
        help_texts = {
            "place": "Where you meet in person, if you do.",
            "video_url": "A link to the call, if there is one.",
            "agenda": "Markdown: questions to discuss, what to bring.",
        }

    def __init__(self, data=None, *, circle: Circle, instance: Meeting | None = None) -> None:
        super().__init__(data, instance=instance)
        self.circle = circle
        self.notices: list[str] = []
        readings = list(circle.readings.order_by("title"))
        # The queryset checks the choice; the list, already loaded, names the choices.
        self.fields["reading"].queryset = circle.readings.all()
        self.fields["reading"].choices = [(reading.pk, str(reading)) for reading in readings]
        chapters = list(
            Chapter.objects.filter(reading__in=readings)
            .only("pk", "reading_id", "number", "title")
            .order_by("number")
        )
        by_reading = {reading.pk: [] for reading in readings}
        for chapter in chapters:
            by_reading[chapter.reading_id].append((chapter.pk, chapter_label(chapter)))
        if len(readings) > 1:
            choices = [(reading.title, by_reading[reading.pk]) for reading in readings]
            help_text = "A chapter of the reading chosen above."
        else:
            choices = next(iter(by_reading.values()), [])
            help_text = ""
        for name in ("first_chapter", "last_chapter"):
            field = self.fields[name]
            field.queryset = Chapter.objects.filter(reading__in=readings)
            field.choices = choices
        self.fields["first_chapter"].help_text = help_text
        self.fields["duration_minutes"].widget.attrs.update(min=15, max=600, step=15)
        self.fields["date"].help_text = f"In the circle’s time zone, {circle.time_zone}."
        if instance is not None and instance.pk:
            self.initial["date"], self.initial["time"] = local_parts(
                instance.starts_at, circle.time_zone
            )
        elif not self.is_bound:
            # Continue the circle's numbering; the organizer may type any title instead.
            self.initial["title"] = f"Session {next_meeting_number(circle)}"
            self.initial["time"] = circle.usual_time()
            self.initial.update(self._next_chapter(chapters))

    def _next_chapter(self, chapters: list[Chapter]) -> dict:
        """Start where the circle's latest session stopped: its reading, the chapter after."""
        latest = self.circle.meetings.order_by("-starts_at").select_related("last_chapter").first()
        if latest is None:
            return {}
        following = next(
            (
                c
                for c in chapters
                if c.reading_id == latest.reading_id and c.number > latest.last_chapter.number
            ),
            None,
        )
        if following is None:
            return {"reading": latest.reading_id}
        return {
            "reading": latest.reading_id,
            "first_chapter": following.pk,
            "last_chapter": following.pk,
        }

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean(self) -> dict:
        cleaned = super().clean()
        reading: Reading | None = cleaned.get("reading")
        first: Chapter | None = cleaned.get("first_chapter")
        last: Chapter | None = cleaned.get("last_chapter")
        if reading is not None:
            # Without JavaScript the lists keep every reading's chapters: say which is wrong.
            for name, chapter in (("first_chapter", first), ("last_chapter", last)):
                if chapter is not None and chapter.reading_id != reading.pk:
                    self.add_error(
                        name,
                        f"“{chapter_label(chapter)}” is a chapter of “{chapter.reading}”, "
                        "not of the reading chosen above.",
                    )
        if (
            first is not None
            and last is not None
            and not (self.has_error("first_chapter") or self.has_error("last_chapter"))
            and last.number < first.number
        ):
            self.add_error(
                "last_chapter",
                f"The last chapter ({chapter_label(last)}) comes before the first one "
                f"({chapter_label(first)}).",
            )
        # An edit may keep a past session's time, but not move one into the past.
        moved = self.instance.pk is None or bool({"date", "time"} & set(self.changed_data))
        if start := clean_start(self, "date", self.circle.time_zone, may_be_past=not moved):
            self.instance.starts_at, notice = start
            self.notices = [notice] if notice else []
        return cleaned

    def _post_clean(self) -> None:
        # Meeting.clean() compares the chapters with the reading; clean() already did, with
        # messages that name them, so skip it when it found a problem.
        if any(self.has_error(name) for name in ("reading", "first_chapter", "last_chapter")):
            forms.models.construct_instance(self, self.instance, self._meta.fields)
        else:
            super()._post_clean()

    def save(self, commit: bool = True, *, by=None) -> Meeting:
        self.instance.circle = self.circle
        if self.instance.pk is None:
            self.instance.created_by = by
        return super().save(commit=commit)


class PlanForm(forms.Form):
    """What to plan: a reading, when the first session is, how often, how many."""

    reading = forms.ModelChoiceField(queryset=Reading.objects.none(), empty_label=None)
    first_date = forms.DateField(
        label="First session on", widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )
    time = forms.TimeField(label="At", widget=TIME_WIDGET, error_messages=TIME_ERRORS)
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
        readings = circle.readings.order_by("title")
        if data is None:
            kwargs.setdefault("initial", {})
            kwargs["initial"].setdefault("time", circle.usual_time())
            unplanned = readings.exclude(meetings__circle=circle).first()
            kwargs["initial"].setdefault("reading", unplanned or readings.first())
        super().__init__(data, **kwargs)
        self.circle = circle
        self.fields["reading"].queryset = readings
        self.fields["time"].help_text = f"In the circle’s time zone, {circle.time_zone}."
        self.fields["count"].widget.attrs.update(max=52)

    def clean(self) -> dict:
        """The first session's start must exist and be still to come (the rows that follow
        are checked again one by one when saved)."""
        cleaned = super().clean()
        clean_start(self, "first_date", self.circle.time_zone)
        return cleaned


class PlannedMeetingForm(forms.Form):
    """One row of a proposed schedule, adjustable before saving."""

    title = forms.CharField(max_length=200)
    first_chapter = forms.TypedChoiceField(coerce=int, label="From chapter")
    last_chapter = forms.TypedChoiceField(coerce=int, label="To chapter")
    date = forms.DateField(widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    time = forms.TimeField(widget=TIME_WIDGET, error_messages=TIME_ERRORS)

    def __init__(self, *args, chapters: list[Chapter], time_zone: str = "UTC", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        self.notice = ""
        self.chapters = {chapter.number: chapter for chapter in chapters}
        choices = [(c.number, chapter_label(c)) for c in chapters]
        self.fields["first_chapter"].choices = choices
        self.fields["last_chapter"].choices = choices

    def clean(self) -> dict:
        cleaned = super().clean()
        first, last = cleaned.get("first_chapter"), cleaned.get("last_chapter")
        if first is not None and last is not None and last < first:
            self.add_error("last_chapter", "The last chapter comes before the first one.")
        if start := clean_start(self, "date", self.time_zone):
            cleaned["starts_at"], self.notice = start
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

    @property
    def notices(self) -> list[str]:
        """What the rows' times needed said (a time that happens twice)."""
        return [form.notice for form in self.forms if form.notice]

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
                starts_at=row["starts_at"],
                duration_minutes=plan["duration_minutes"],
                place=plan["place"],
                video_url=plan["video_url"],
                created_by=by,
            )
            meeting.save()
            meetings.append(meeting)
        return meetings


PlanFormSet = forms.formset_factory(
    PlannedMeetingForm, formset=BasePlanFormSet, extra=0, max_num=52, validate_max=True
)


class NotesForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["notes"]
        help_texts = {"notes": "Markdown: what was said, what to read next, who brings cake."}


class RSVPForm(forms.Form):
    answer = forms.ChoiceField(choices=RSVPAnswer.choices)
