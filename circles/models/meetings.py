"""A circle's schedule: Meeting (a "session" in the interface) and RSVP.

The model is called Meeting so it cannot be confused with Django's sessions.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from circles.markdown import render_markdown
from readings.models import Chapter, Reading, reading_minutes

from .circle import Circle, MembershipState


def session_label(title: str) -> str:
    """ "Session 3" for a session titled "Session 3: Chapter IV"; other titles as they are."""
    match = re.match(r"Session \d+\b", title)
    return match[0] if match else title


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None) -> MeetingQuerySet:
        """Sessions that have not ended yet, soonest first."""
        now = now or timezone.now()
        return self.filter(ends_at__gt=now).order_by("starts_at")

    def past(self, now=None) -> MeetingQuerySet:
        now = now or timezone.now()
        return self.filter(ends_at__lte=now).order_by("-starts_at")

    def scheduled(self) -> MeetingQuerySet:
        return self.filter(status=MeetingStatus.SCHEDULED)

    def for_display(self) -> MeetingQuerySet:
        return self.select_related("circle", "reading", "first_chapter", "last_chapter")

    def of_member(self, user) -> MeetingQuerySet:
        """Sessions (any status, any time) of the circles where `user` is an active member."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            circle__memberships__user=user, circle__memberships__state=MembershipState.ACTIVE
        )

    def next_for(self, user, now=None) -> MeetingQuerySet:
        """The user's coming (or running) scheduled sessions in all their circles, soonest
        first, ready to display: `Meeting.objects.next_for(user)[:3]`, or add
        `.filter(circle=circle)` for one circle's "next up"."""
        return self.of_member(user).scheduled().upcoming(now).for_display()


class Meeting(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="meetings")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    reading = models.ForeignKey(Reading, on_delete=models.PROTECT, related_name="meetings")
    first_chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="+")
    last_chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(help_text="Stored in UTC.")
    duration_minutes = models.PositiveIntegerField(default=90)
    ends_at = models.DateTimeField(editable=False)
    place = models.CharField(max_length=300, blank=True)
    video_url = models.URLField(blank=True, max_length=500)
    agenda = models.TextField(blank=True, help_text="Markdown.")
    agenda_html = models.TextField(blank=True, editable=False)
    notes = models.TextField(blank=True, help_text="Markdown, written after the meeting.")
    notes_html = models.TextField(blank=True, editable=False)
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    live = models.BooleanField(
        default=False,
        help_text="Switched on by an organizer: the live margin runs outside the session's "
        "hours too.",
    )
    sequence = models.PositiveIntegerField(
        default=0, help_text="Grows on every change, for calendar programs."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = "session"
        indexes = [models.Index(fields=["circle", "starts_at"], name="meeting_circle_start")]

    def __str__(self) -> str:
        return f"{self.title} ({self.circle})"

    def save(self, *args, **kwargs) -> None:
        self.ends_at = self.starts_at + timedelta(minutes=self.duration_minutes)
        self.agenda_html = render_markdown(self.agenda)
        self.notes_html = render_markdown(self.notes)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "ends_at",
                "agenda_html",
                "notes_html",
                "updated_at",
            }
        with transaction.atomic():
            super().save(*args, **kwargs)
            Circle.bump_schedule(self.circle_id)

    def get_absolute_url(self) -> str:
        return reverse("circles:meeting", args=[self.circle.slug, self.pk])

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            Circle.bump_schedule(self.circle_id)
            return super().delete(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        if self.first_chapter_id and self.reading_id:
            if self.first_chapter.reading_id != self.reading_id:
                errors["first_chapter"] = "The first chapter must belong to the chosen reading."
            if self.last_chapter.reading_id != self.reading_id:
                errors["last_chapter"] = "The last chapter must belong to the chosen reading."
            elif self.last_chapter.number < self.first_chapter.number:
                errors["last_chapter"] = "The last chapter comes before the first one."
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def short_title(self) -> str:
        """ "Session 3" for "Session 3: Chapter IV" (the title itself if it has no number)."""
        return session_label(self.title)

    @property
    def is_live(self) -> bool:
        """Whether the session's live margin runs now: from its start to its end, and any time
        an organizer has switched it on (never for a cancelled session)."""
        if self.is_cancelled:
            return False
        return self.live or self.starts_at <= timezone.now() < self.ends_at

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    def chapters(self) -> models.QuerySet[Chapter]:
        return Chapter.objects.filter(
            reading_id=self.reading_id,
            number__gte=self.first_chapter.number,
            number__lte=self.last_chapter.number,
        ).order_by("number")

    @property
    def chapter_label(self) -> str:
        """What the session reads, by the chapters' names ("Preface – Chapter IV")."""
        return Chapter.span_title(self.first_chapter, self.last_chapter)

    def reading_minutes(self) -> int:
        words = self.chapters().aggregate(total=models.Sum("word_count"))["total"] or 0
        return reading_minutes(words)

    def bump_sequence(self) -> None:
        """Tell calendar programs the event changed (call on every edit or cancellation)."""
        with transaction.atomic():
            Meeting.objects.filter(pk=self.pk).update(sequence=F("sequence") + 1)
            Circle.bump_schedule(self.circle_id)
        self.refresh_from_db(fields=["sequence"])

    def cancel(self) -> None:
        self.status = MeetingStatus.CANCELLED
        self.save(update_fields=["status"])
        self.bump_sequence()

    def answer_rsvp(self, user, answer: str) -> RSVP:
        """Record (or change) `user`'s answer; callers check `permissions.can_rsvp` first."""
        rsvp, _ = RSVP.objects.update_or_create(
            meeting=self, user=user, defaults={"answer": answer}
        )
        return rsvp


class RSVPAnswer(models.TextChoices):
    GOING = "going", "Going"
    MAYBE = "maybe", "Maybe"
    NO = "no", "Can’t go"


class RSVPQuerySet(models.QuerySet):
    def answers(self) -> list[tuple[str, int, str]]:
        """(answer, user id, name) of each RSVP, in the order of the people's emails: plain
        rows, as a session page lists every member's answer (a model per row and per person
        cost a 200-member circle's session page about a fifth of its time)."""
        from accounts.models import User

        rows = self.order_by("user__email").values_list(
            "answer", "user_id", "user__display_name", "user__email"
        )
        return [
            (answer, user_id, User.name_for(display_name, email))
            for answer, user_id, display_name, email in rows
        ]


class RSVP(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    answer = models.CharField(max_length=10, choices=RSVPAnswer.choices)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RSVPQuerySet.as_manager()

    class Meta:
        verbose_name = "RSVP"
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="rsvp_once")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_answer_display()} to {self.meeting}"
