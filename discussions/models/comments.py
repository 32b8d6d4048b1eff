"""Margin comments: threads anchored to a passage (or a phrase in it), replies, revisions.

The anchor lives on thread roots and follows the W3C Web Annotation selectors, scoped to
the passage: `anchor_start`/`anchor_end` (offsets into `Passage.text`; both null for the
whole passage), `anchor_exact`, `anchor_prefix`, `anchor_suffix` (derived by the server from
`Passage.text`, never taken from the client), plus its status, score and the text version it
was last placed on. `passage_key` is the passage's stable key, kept even when the passage row
is gone (an orphaned thread still says where it was).
"""

from __future__ import annotations

import uuid
from html import unescape

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from circles.models import Circle
from discussions.horizon import Horizons, horizon_q
from readings.models import Chapter, Passage, Reading


class CommentState(models.TextChoices):
    VISIBLE = "visible", "Visible"
    HIDDEN = "hidden", "Hidden by a moderator"
    DELETED = "deleted", "Deleted by its author"


class AnchorStatus(models.TextChoices):
    ANCHORED = "anchored", "Anchored"
    DRIFTED = "drifted", "Drifted (re-attached by a fuzzy match)"
    ORPHANED = "orphaned", "Orphaned (its text changed)"


# A comment's body and state change only through the services, which record who changed them.
RECORDED_FIELDS = frozenset({"body", "body_html", "state", "hidden_reason"})


class UnrecordedChange(Exception):
    """A bulk write of a comment's body or state, which would leave no revision."""


class CommentQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        """Bulk updates of anchors, counts, places stay allowed; body and state are refused:
        they change through `discussions.services`/`moderation`, which record who did it."""
        _refuse_recorded(kwargs)
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None) -> int:
        _refuse_recorded(fields)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, *args, **kwargs) -> list:
        """New comments in bulk are fine; an upsert that rewrites text or state is not."""
        if kwargs.get("update_conflicts"):
            _refuse_recorded(kwargs.get("update_fields") or [])
        return super().bulk_create(objs, *args, **kwargs)

    def roots(self) -> CommentQuerySet:
        return self.filter(parent__isnull=True)

    def in_circle(self, circle: Circle) -> CommentQuerySet:
        return self.filter(circle=circle)

    def visible_to(self, user) -> CommentQuerySet:
        """Everything but other people's private notes."""
        if user.is_authenticated:
            return self.filter(Q(is_private=False) | Q(author=user))
        return self.filter(is_private=False)

    def visible(self) -> CommentQuerySet:
        return self.filter(state=CommentState.VISIBLE)

    def shown_to(self, user) -> CommentQuerySet:
        """What a reader of the circle sees: others' private notes and hidden comments are out,
        so are deleted comments with no replies (a deleted one with replies keeps its place)."""
        return (
            self.visible_to(user)
            .exclude(state=CommentState.HIDDEN)
            .exclude(state=CommentState.DELETED, reply_count=0, parent__isnull=True)
        )

    def with_flagged_by(self, user) -> CommentQuerySet:
        """Annotate `flagged_by_viewer`: whether `user` has flagged each comment."""
        if not user.is_authenticated:
            return self.annotate(flagged_by_viewer=Value(False))
        from .moderation import Flag

        mine = Flag.objects.filter(comment=OuterRef("pk"), reporter=user)
        return self.annotate(flagged_by_viewer=Exists(mine))

    def public(self) -> CommentQuerySet:
        """Shared with the circle (no private notes): what the shared chapter cache holds."""
        return self.filter(is_private=False)

    def in_chapter_of(self, circle: Circle, chapter: Chapter) -> CommentQuerySet:
        return self.filter(circle=circle, chapter=chapter)

    def threads_on(self, circle: Circle, reading: Reading, key: str) -> CommentQuerySet:
        """Every comment of every thread on the passage `key` (orphans that were there
        included), oldest first, authors joined: the thread panel builds its trees from this
        one query in Python."""
        return (
            self.filter(circle=circle, reading=reading, passage_key=key)
            .select_related("author")
            .order_by("created_at", "pk")
        )

    def in_thread(self, root_id: int) -> CommentQuerySet:
        """The thread whose first comment is `root_id`: that comment and every reply in it."""
        return self.filter(Q(pk=root_id) | Q(root_id=root_id))

    def orphaned(self) -> CommentQuerySet:
        return self.filter(parent__isnull=True, anchor_status=AnchorStatus.ORPHANED)

    def unanswered(self) -> CommentQuerySet:
        return self.filter(reply_count=0)

    def involving(self, user) -> CommentQuerySet:
        """Roots of the threads `user` started or wrote in."""
        if not user.is_authenticated:
            return self.none()
        wrote = Comment.objects.filter(root=OuterRef("pk"), author=user)
        return self.filter(Q(author=user) | Exists(wrote))

    def within_horizon(self, horizons: Horizons) -> CommentQuerySet:
        """Comments within a reader's horizon (`discussions.horizon`): one `Horizon`, or a
        mapping of circle ids to each circle's."""
        return self.filter(horizon_q(horizons))

    def beyond_horizon(self, horizons: Horizons) -> CommentQuerySet:
        """What `within_horizon` leaves out: the comments a reader has folded."""
        within = horizon_q(horizons)
        return self.exclude(within) if within else self.none()

    def with_horizon(self, horizons: Horizons) -> CommentQuerySet:
        """Annotate `within_horizon`: whether each comment is within the reader's horizon."""
        within = horizon_q(horizons)
        if not within:
            return self.annotate(within_horizon=Value(True))
        return self.annotate(within_horizon=ExpressionWrapper(within, output_field=BooleanField()))

    def recent_threads(self, circle: Circle, user) -> CommentQuerySet:
        """Thread roots of `circle` that `user` may see, newest activity first."""
        return (
            self.in_circle(circle)
            .roots()
            .shown_to(user)
            .select_related("author", "chapter", "reading")
            .order_by("-last_activity_at", "-pk")
        )


def _refuse_recorded(fields) -> None:
    touched = RECORDED_FIELDS.intersection(fields)
    if touched:
        raise UnrecordedChange(
            f"A comment's {', '.join(sorted(touched))} cannot be changed in bulk: change it "
            "through discussions.services or discussions.moderation, which record who did it."
        )


# How a comment hidden by members' flags (not by a moderator) explains itself. A comment is
# pending review while it is hidden with this reason: a moderator who then hides it for good
# (resolving its flags as "hidden") replaces the reason with theirs.
AUTO_HIDE_REASON = "Hidden pending review after {count} flags"
_AUTO_HIDE_PREFIX = AUTO_HIDE_REASON.split("{")[0]


class Comment(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        help_text="Empty once the author deleted their account (shown as “former member”).",
    )
    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    passage = models.ForeignKey(
        Passage, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    passage_key = models.CharField(max_length=16)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="thread_comments",
        help_text="The thread's first comment; empty on the root itself.",
    )
    body = models.TextField(max_length=10_000)
    body_html = models.TextField(editable=False)
    state = models.CharField(
        max_length=10, choices=CommentState.choices, default=CommentState.VISIBLE
    )
    is_private = models.BooleanField(
        default=False, help_text="A personal note: visible to its author alone."
    )
    idempotency_key = models.UUIDField(
        default=uuid.uuid4, unique=True, help_text="Made by the client; a resent form is a no-op."
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who made the last edit: its author, or staff correcting it.",
    )
    last_activity_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0, help_text="On roots: replies in thread.")
    hidden_reason = models.CharField(max_length=300, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who deleted it (its author).",
    )
    imported_from = models.CharField(
        max_length=200,
        blank=True,
        help_text="Imported from another annotation tool: who wrote it there, when they are "
        "not a member here.",
    )

    # The anchor (thread roots only).
    anchor_start = models.PositiveIntegerField(null=True, blank=True)
    anchor_end = models.PositiveIntegerField(null=True, blank=True)
    anchor_exact = models.TextField(blank=True)
    anchor_original_exact = models.TextField(
        blank=True,
        help_text="The quote as the thread was first written on; kept when re-anchoring "
        "moves the thread onto changed words.",
    )
    anchor_prefix = models.CharField(max_length=64, blank=True)
    anchor_suffix = models.CharField(max_length=64, blank=True)
    anchor_status = models.CharField(
        max_length=10, choices=AnchorStatus.choices, default=AnchorStatus.ANCHORED
    )
    anchor_score = models.FloatField(default=1.0)
    anchor_text_version = models.PositiveIntegerField(default=1)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["circle", "chapter", "parent"], name="comment_chapter_threads"),
            models.Index(fields=["circle", "passage"], name="comment_passage"),
            models.Index(fields=["root", "created_at"], name="comment_thread_order"),
            models.Index(fields=["circle", "-last_activity_at"], name="comment_recent"),
            models.Index(fields=["circle", "reading", "passage_key"], name="comment_passage_key"),
            # "Has this reader private notes in this chapter?" (every chapter page a member
            # opens): without it, a scan of the chapter's comments.
            models.Index(
                fields=["author", "circle", "chapter"],
                condition=Q(is_private=True),
                name="comment_private_notes",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(anchor_start__isnull=True, anchor_end__isnull=True)
                    | Q(anchor_start__isnull=False, anchor_end__gt=models.F("anchor_start"))
                ),
                name="comment_anchor_range_valid",
            ),
        ]

    def __str__(self) -> str:
        excerpt = " ".join(self.body.split())
        excerpt = excerpt if len(excerpt) <= 60 else excerpt[:59] + "…"
        return f"{self.author_name}: {excerpt}"

    def save(self, *args, **kwargs) -> None:
        """Save; a change of the body or state of a saved comment must have been recorded
        first (`discussions.history.record`, which every service calls), or it is refused."""
        original = getattr(self, "_recorded_as", None)
        if original and not kwargs.get("force_insert") and not self._state.adding:
            fields = kwargs.get("update_fields")
            changed = sorted(
                name
                for name, value in original.items()
                if (fields is None or name in fields) and getattr(self, name) != value
            )
            if changed and not self._change_recorded:
                raise UnrecordedChange(
                    f"A comment's {', '.join(changed)} changed with nothing recorded: change "
                    "it through discussions.services or discussions.moderation."
                )
        super().save(*args, **kwargs)
        self._remember_recorded()

    def get_absolute_url(self) -> str:
        if self.passage_id is None:  # its passage is gone: the thread's own page
            url = reverse("discussions:thread", args=[self.circle.slug, self.thread_id])
            return f"{url}?c={self.pk}#c-{self.pk}" if self.root_id else f"{url}#c-{self.pk}"
        url = reverse(
            "discussions:passage", args=[self.circle.slug, self.reading.slug, self.passage_key]
        )
        # A reply may be beyond the replies a thread shows at first: `?c=` shows it anyway.
        return f"{url}?c={self.pk}#c-{self.pk}" if self.root_id else f"{url}#c-{self.pk}"

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs) -> Comment:
        comment = super().from_db(db, field_names, values, *args, **kwargs)
        comment._remember_recorded()
        return comment

    def _remember_recorded(self) -> None:
        """What the recorded fields hold in the database, to tell an unrecorded change."""
        loaded = self.__dict__
        self._recorded_as = {name: loaded[name] for name in RECORDED_FIELDS if name in loaded}
        self._change_recorded = False

    @property
    def is_root(self) -> bool:
        return self.parent_id is None

    @property
    def thread_id(self) -> int:
        return self.root_id or self.pk

    @property
    def author_name(self) -> str:
        if self.author_id and self.author:
            return self.author.name
        if self.imported_from:
            return f"{self.imported_from} (imported)"
        return "former member"

    @property
    def is_pending_review(self) -> bool:
        """Hidden by members' flags, and no moderator has decided yet."""
        return self.state == CommentState.HIDDEN and self.hidden_reason.startswith(
            _AUTO_HIDE_PREFIX
        )

    @property
    def hidden_note(self) -> str:
        """Why a hidden comment is hidden, as its author and the moderators read it."""
        if self.is_pending_review:
            return "Hidden pending review after flags"
        if self.hidden_reason:
            return f"Hidden by a moderator: {self.hidden_reason}"
        return "Hidden by a moderator (no reason given)"

    @property
    def deleted_note(self) -> str:
        """ "Deleted by its author, 12:31" (local time), as moderators read a deleted comment."""
        who = "its author"
        if self.deleted_by_id and self.deleted_by_id != self.author_id:
            who = self.deleted_by.name if self.deleted_by else "former member"
        if self.deleted_at is None:
            return f"Deleted by {who}"
        when = timezone.localtime(self.deleted_at)
        day = "" if when.date() == timezone.localdate() else f"{when.day} {when:%b %Y}, "
        return f"Deleted by {who}, {day}{when:%H:%M}"

    @property
    def edited_by_other(self) -> bool:
        """Its last edit was someone else's (staff correcting it): readers are told."""
        return self.edited_by_id is not None and self.edited_by_id != self.author_id

    @property
    def is_whole_passage(self) -> bool:
        return self.anchor_start is None

    @property
    def plain_text(self) -> str:
        """The body as a reader sees it, without Markdown marks or tags, on one line."""
        return " ".join(unescape(strip_tags(self.body_html)).split())


class RevisionKind(models.TextChoices):
    EDIT = "edit", "Edited"
    DELETE = "delete", "Deleted"
    HIDE = "hide", "Hidden"
    RESTORE = "restore", "Shown again"


class ChangedByRole(models.TextChoices):
    AUTHOR = "author", "its author"
    MODERATOR = "moderator", "a moderator"
    STAFF = "staff", "site staff"
    SYSTEM = "system", "the system"


class CommentRevision(models.Model):
    """One change to a comment: who made it (and in what role), why when it was not the
    author, when, and the comment as it was just before (its body and state).

    Every service that changes a comment's body or state writes one in the same transaction
    (`discussions.services`, `discussions.moderation`); a bulk `update()` of those fields is
    refused (`CommentQuerySet.update`), so no change goes unrecorded."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=10, choices=RevisionKind.choices, default=RevisionKind.EDIT)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for the system (hidden after flags) or a deleted account.",
    )
    role = models.CharField(
        max_length=10, choices=ChangedByRole.choices, default=ChangedByRole.AUTHOR
    )
    reason = models.TextField(blank=True, help_text="Why, when it was not the author.")
    body = models.TextField(help_text="The body before this change.")
    body_html = models.TextField()
    state = models.CharField(
        max_length=10,
        choices=CommentState.choices,
        default=CommentState.VISIBLE,
        help_text="The state before this change.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Revision of comment {self.comment_id} from {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def changed_by_name(self) -> str:
        if self.role == ChangedByRole.SYSTEM:
            return "the system"
        return (
            str(self.changed_by.name) if self.changed_by_id and self.changed_by else "former member"
        )

    @property
    def summary(self) -> str:
        """ "Edited by its author", "Edited by site staff (Sam)", "Hidden by the system"."""
        who = self.get_role_display()
        if self.role in (ChangedByRole.MODERATOR, ChangedByRole.STAFF):
            who = f"{who} ({self.changed_by_name})"
        return f"{self.get_kind_display()} by {who}"

    @property
    def changed_text(self) -> bool:
        """Whether this change replaced the text (edit, delete), so the text before it shows."""
        return self.kind in (RevisionKind.EDIT, RevisionKind.DELETE)


class ChapterDiscussion(models.Model):
    """A version number per (circle, chapter) that grows on every comment write.

    The circle reader caches the rendered passages of a chapter (highlights and counts) under
    a key made of the circle, the chapter, the reading's `text_version` and this `version`.
    Every write that changes what the chapter shows (post, reply, edit, delete, hide,
    re-attach) calls `bump()` inside its own transaction, so the cached fragment is replaced
    exactly when the discussion changes, and old keys simply expire. Bumping is an
    `UPDATE ... SET version = version + 1` (no read-modify-write race); the row is created
    by the first write. A chapter with no row has never been discussed in that circle, so the
    page skips the discussion queries altogether.
    """

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["circle", "chapter"], name="chapter_discussion_once"),
        ]

    def __str__(self) -> str:
        return f"Chapter {self.chapter_id} in circle {self.circle_id}: v{self.version}"

    @classmethod
    def bump(cls, circle_id: int, chapter_id: int | None) -> None:
        if chapter_id is None:
            return
        rows = cls.objects.filter(circle_id=circle_id, chapter_id=chapter_id)
        if rows.update(version=F("version") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(circle_id=circle_id, chapter_id=chapter_id)
        except IntegrityError:  # created meanwhile by a concurrent write
            rows.update(version=F("version") + 1)
