"""Readings: Reading → Chapter → Passage, and where each reader has got to (their place,
`ReadingProgress`, and the chapters they have read in, `ChapterReached`).

`Passage.text` is the plain text (the coordinate system for comment anchors) and `Passage.html`
the same text with inline markup, rendered once at import: its text content equals `text`
character for character. `Passage.key` is the passage's permalink (`#p-<key>`); it is unique
within a reading and survives re-imports and edits (see `readings.services`).
"""

from __future__ import annotations

import hashlib
import math
import unicodedata

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from .markup import carry_markup

WORDS_PER_MINUTE = 230


def content_hash(text: str) -> str:
    """A short, stable fingerprint of a passage's text (used to match passages on re-import)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def count_words(text: str) -> int:
    return len(text.split())


def reading_minutes(words: int) -> int:
    """Minutes to read `words` at about 230 words a minute; at least one for any text."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else 0


_APOSTROPHES = dict.fromkeys(map(ord, "'’‘ʼ`´"))


def search_key(value: str) -> str:
    """Text reduced for matching searches: lowercase, accents and apostrophes dropped, other
    punctuation a space. "All Tomorrow’s Parties", "tomorrow's" and "tomorrows" agree."""
    value = unicodedata.normalize("NFKD", value.casefold()).translate(_APOSTROPHES)
    value = "".join(ch if ch.isalnum() else " " for ch in value if not unicodedata.combining(ch))
    return " ".join(value.split())[:520]


def text_to_html(text: str) -> str:
    """Plain text → inline HTML whose text content is `text` (used for edits by hand)."""
    return str(escape(text))


class ReadingQuerySet(models.QuerySet):
    def with_length(self) -> ReadingQuerySet:
        """Annotate `total_words` and `chapter_count` (one query, however long the texts)."""
        return self.annotate(
            total_words=Coalesce(Sum("chapters__word_count"), 0),
            chapter_count=Count("chapters"),
        )

    def search(self, query: str) -> ReadingQuerySet:
        """Readings whose title or author contains every word of `query`, compared through
        `search_key` on both sides (the readings' keys are stored in `search_text`), so that
        quotes, accents and punctuation make no difference on any database."""
        qs = self
        for word in search_key(query).split():
            qs = qs.filter(search_text__contains=word)
        return qs


class Reading(models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=80, unique=True)
    author = models.CharField(max_length=200, blank=True)
    source_note = models.CharField(
        "source", max_length=500, blank=True, help_text="Where the text comes from."
    )
    language = models.CharField(max_length=16, default="en")
    licence = models.CharField(max_length=300, blank=True)
    text_version = models.PositiveIntegerField(
        default=1, help_text="Grows each time the text is re-imported or edited."
    )
    source_format = models.CharField(max_length=20, blank=True)
    search_text = models.CharField(
        max_length=520,
        blank=True,
        default="",
        editable=False,
        help_text="Title and author, for search.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReadingQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.search_text = search_key(f"{self.title} {self.author}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "author"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("readings:reading", kwargs={"slug": self.slug})

    def bump_text_version(self) -> None:
        self.text_version = models.F("text_version") + 1
        self.save(update_fields=["text_version", "updated_at"])
        self.refresh_from_db(fields=["text_version"])


class ChapterKind(models.TextChoices):
    """Which part of the book a chapter belongs to (see `readings.importers.matter`)."""

    FRONT = "front", "Front matter"
    MAIN = "main", "Main text"
    BACK = "back", "Back matter"


class ChapterQuerySet(models.QuerySet):
    def of(self, reading: Reading) -> ChapterQuerySet:
        return self.filter(reading=reading).order_by("number")

    def main_text(self) -> ChapterQuerySet:
        """Only the chapters of the main text (no preface, contents, notes, index ...)."""
        return self.filter(kind=ChapterKind.MAIN)


class Chapter(models.Model):
    """A chapter of a reading. `number` is its place (1..n, front matter included): it makes
    URLs and orders chapters, but people see chapters by name. Other apps name a chapter
    only through this model's API:

    - `display_title`: the chapter's name wherever it is shown (lists, links, page titles,
      schedules, calendars): its title, e.g. "Chapter XVIII" or "Preface"; "Chapter 19"
      only for a chapter that has no title.
    - `where(count)`: the chapter in a few words with its place when it needs one — its
      title, or "19 of 62" for a chapter without a title (the reader's bar).
    - `Chapter.span_title(first, last)`: a run of chapters for a session or a calendar
      event: "Preface", or "Chapter I – Chapter IV" by their titles.
    - `kind` / `is_front_matter` / `is_back_matter`, and `Chapter.objects.main_text()`:
      front and back matter shown as such ("Front matter · Preface").
    """

    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300, blank=True)
    kind = models.CharField(
        max_length=8,
        choices=ChapterKind.choices,
        default=ChapterKind.MAIN,
        help_text="Front matter (preface, introduction ...), main text, or back matter "
        "(notes, appendix, index ...).",
    )
    word_count = models.PositiveIntegerField(default=0)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["reading", "number"]
        constraints = [
            models.UniqueConstraint(fields=["reading", "number"], name="chapter_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="chapter_number_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.reading} — {self.display_title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "readings:chapter", kwargs={"slug": self.reading.slug, "number": self.number}
        )

    @property
    def display_title(self) -> str:
        """The chapter's name for people: its title; its place only when it has none."""
        return self.title or f"Chapter {self.number}"

    def where(self, count: int) -> str:
        """Its title, or for a chapter without one its place among `count`: "19 of 62"."""
        return self.title or f"{self.number} of {count}"

    @property
    def is_front_matter(self) -> bool:
        return self.kind == ChapterKind.FRONT

    @property
    def is_back_matter(self) -> bool:
        return self.kind == ChapterKind.BACK

    @property
    def kind_label(self) -> str:
        """ "Front matter" or "Back matter" for those, "" for the main text."""
        return "" if self.kind == ChapterKind.MAIN else self.get_kind_display()

    @staticmethod
    def span_title(first: Chapter, last: Chapter | None = None) -> str:
        """A run of chapters by name: "Preface" for one, "Chapter I – Chapter IV" for several
        (a session's reading, a calendar event's summary)."""
        if last is None or last.pk == first.pk and last.number == first.number:
            return first.display_title
        return f"{first.display_title} – {last.display_title}"

    @property
    def minutes(self) -> int:
        return reading_minutes(self.word_count)


class PassageKind(models.TextChoices):
    PARAGRAPH = "paragraph", "Paragraph"
    HEADING = "heading", "Heading"
    QUOTE = "quote", "Quotation"
    VERSE = "verse", "Verse"
    LIST_ITEM = "list_item", "List item"
    NOTE = "note", "Note"


class PassageQuerySet(models.QuerySet):
    def in_chapter(self, chapter: Chapter) -> PassageQuerySet:
        return self.filter(chapter=chapter).order_by("position")

    def in_reading(self, reading: Reading) -> PassageQuerySet:
        """Every passage of a reading in reading order."""
        return self.filter(reading=reading).order_by("chapter__number", "position")

    def for_display(self) -> PassageQuerySet:
        """Only the columns a reader page renders."""
        return self.only("id", "chapter_id", "position", "key", "kind", "html", "text")


class Passage(models.Model):
    # `reading` repeats `chapter.reading` so that keys can be unique per reading and
    # permalinks, re-imports and anchors can look passages up without a join.
    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="passages")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveIntegerField(help_text="Order within the chapter, from 1.")
    key = models.CharField(max_length=16, help_text="Stable permalink: #p-<key>.")
    kind = models.CharField(
        max_length=16, choices=PassageKind.choices, default=PassageKind.PARAGRAPH
    )
    text = models.TextField()
    html = models.TextField(help_text="Inline HTML rendered at import; its text equals `text`.")
    content_hash = models.CharField(max_length=32)
    word_count = models.PositiveIntegerField(default=0)

    objects = PassageQuerySet.as_manager()

    class Meta:
        ordering = ["chapter", "position"]
        constraints = [
            models.UniqueConstraint(fields=["reading", "key"], name="passage_key_unique"),
        ]
        indexes = [
            # Positions are rewritten in bulk on re-import, so the order is indexed, not unique.
            models.Index(fields=["chapter", "position"], name="passage_chapter_order"),
        ]

    def __str__(self) -> str:
        snippet = self.text if len(self.text) <= 60 else self.text[:59] + "…"
        return f"{self.get_kind_display()} {self.key}: {snippet}"

    def get_absolute_url(self) -> str:
        return f"{self.chapter.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"p-{self.key}"

    def set_text(self, text: str) -> None:
        """Replace the text by hand: hash and count recomputed, and the html rebuilt from the
        new text keeping the inline markup (emphasis, note links) of the stretches the edit
        left alone (`readings.markup.carry_markup`)."""
        self.html = carry_markup(self.text, self.html, text) if self.html else text_to_html(text)
        self.text = text
        self.content_hash = content_hash(text)
        self.word_count = count_words(text)


class ReadingProgressQuerySet(models.QuerySet):
    def for_user(self, user) -> ReadingProgressQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class ReadingProgress(models.Model):
    """How far a signed-in reader has got in a reading: the furthest chapter and passage of
    the main text reached (see `advance`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_progress"
    )
    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="progress")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="+")
    passage = models.ForeignKey(
        Passage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReadingProgressQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "reading progress"
        constraints = [
            models.UniqueConstraint(fields=["user", "reading"], name="progress_once_per_reading"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.reading}: chapter {self.chapter.number}"

    def get_absolute_url(self) -> str:
        url = self.chapter.get_absolute_url()
        return f"{url}#p-{self.passage.key}" if self.passage_id and self.passage else url

    @classmethod
    def advance(cls, user, chapter: Chapter, passage: Passage | None = None) -> bool:
        """Move `user`'s place in the reading to `passage` of `chapter` (its start when no
        passage is given) if that is further on in the main text; returns whether it moved.

        The place is the furthest point reached, in reading order (chapter number, then
        passage position): re-reading an earlier chapter does not move it back, and notes —
        a note passage, or a chapter of nothing but notes — never count, so following a
        reference to the Notes and back leaves "continue reading" in the text.

        Whether or not the place moves, `chapter` is recorded as one the reader has read in
        (`ChapterReached`): that chapter alone, never the ones skipped to get there.
        """
        if passage is not None and passage.kind == PassageKind.NOTE:
            return False
        if passage is None and not chapter.passages.exclude(kind=PassageKind.NOTE).exists():
            return False
        place = (chapter.number, passage.position if passage is not None else 0)
        with transaction.atomic():
            ChapterReached.record(user, chapter)
            # The row with its chapter and passage in one query; only the row is locked
            # (PostgreSQL cannot lock the nullable side of the passage's outer join).
            row, created = (
                cls.objects.select_for_update(of=("self",))
                .select_related("chapter", "passage")
                .get_or_create(
                    user=user,
                    reading_id=chapter.reading_id,
                    defaults={"chapter": chapter, "passage": passage},
                )
            )
            if created:
                return True
            position = row.passage.position if row.passage is not None else 0
            if place <= (row.chapter.number, position):
                return False
            row.chapter, row.passage = chapter, passage
            row.save(update_fields=["chapter", "passage", "updated_at"])
        return True


class ReplacementState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Saving"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class TextReplacement(models.Model):
    """A reading's whole text replaced from a file (`readings.replacement`): who did it, when,
    from which file, and what it changed — chapters, passages and the threads' fates.

    A large reading is replaced in the background: the record is made first, holding the
    uploaded file (`upload`, emptied when done) and the fates the preview promised
    (`expected`), and shows the task's progress (`state`, `stage`, `progress`).
    """

    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="replacements")
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    sha256 = models.CharField("SHA-256", max_length=64)
    format = models.CharField(max_length=20, blank=True)
    state = models.CharField(
        max_length=10, choices=ReplacementState.choices, default=ReplacementState.DONE
    )
    stage = models.CharField(max_length=100, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent.")
    error = models.TextField(blank=True)
    old_version = models.PositiveIntegerField(null=True, blank=True)
    new_version = models.PositiveIntegerField(null=True, blank=True)
    chapters_added = models.PositiveIntegerField(default=0)
    chapters_removed = models.PositiveIntegerField(default=0)
    chapters_renamed = models.PositiveIntegerField(default=0)
    chapters_renumbered = models.PositiveIntegerField(default=0)
    passages_kept = models.PositiveIntegerField(default=0)
    passages_changed = models.PositiveIntegerField(default=0)
    passages_added = models.PositiveIntegerField(default=0)
    passages_removed = models.PositiveIntegerField(default=0)
    threads_stay = models.PositiveIntegerField(default=0)
    threads_moved = models.PositiveIntegerField(default=0)
    threads_drifted = models.PositiveIntegerField(default=0)
    threads_orphaned = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    expected = models.JSONField(
        default=dict, blank=True, help_text="The fates the preview promised, by thread."
    )
    differences = models.JSONField(
        default=list, blank=True, help_text="Threads whose fate differs from the preview's."
    )
    upload = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.reading}: text replaced from {self.filename} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("admin:readings_textreplacement_change", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in (ReplacementState.DONE, ReplacementState.FAILED)


class ChapterReachedQuerySet(models.QuerySet):
    def for_user(self, user) -> ChapterReachedQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class ChapterReached(models.Model):
    """A chapter a reader has read in: their progress was saved there at least once (by
    reader.js as they scroll, see `ReadingProgress.advance`).

    `ReadingProgress` keeps only the furthest place; this keeps each chapter, so that skipping
    ahead to peek at chapter 9 counts chapter 9 as reached, and not the chapters between. A
    circle's margins fold discussion of the chapters a member has not reached
    (`discussions.horizon`), and a circle's contents show who has reached each chapter.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chapters_reached"
    )
    # `reading` repeats `chapter.reading`, to ask "which chapters of this reading" without a join.
    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="+")
    reached_at = models.DateTimeField(auto_now_add=True)

    objects = ChapterReachedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "chapters reached"
        constraints = [
            models.UniqueConstraint(fields=["user", "chapter"], name="chapter_reached_once"),
        ]
        indexes = [models.Index(fields=["reading", "chapter"], name="chapter_reached_reading")]

    def __str__(self) -> str:
        return f"{self.user} reached chapter {self.chapter_id} of {self.reading_id}"

    @classmethod
    def record(cls, user, *chapters: Chapter) -> None:
        """Count `chapters` as reached by `user` (one INSERT; those already counted stay)."""
        cls.objects.bulk_create(
            [cls(user=user, reading_id=c.reading_id, chapter=c) for c in chapters],
            ignore_conflicts=True,
        )


class PendingUpload(models.Model):
    """A file (or a fetched page) waiting between its preview and its confirmation
    (`readings.uploads`): kept here rather than in the login session, which every request of
    that person would load and decode, bytes and all (up to three files of 20 MB, base64).
    The session holds only the tokens; entries older than `PENDING_UPLOAD_HOURS` are
    deleted when the next upload is kept."""

    token = models.CharField(max_length=43, unique=True)
    kind = models.CharField(max_length=40, help_text="Which flow keeps it (a reading, notes).")
    data = models.BinaryField()
    filename = models.CharField(max_length=255, blank=True)
    format = models.CharField(max_length=20, blank=True)
    charset = models.CharField(max_length=40, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.filename or self.url or self.token} ({self.kind})"
