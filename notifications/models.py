"""What people are told, and how: in-app notifications and per-kind email preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from circles.models import Circle, Meeting, Membership, MembershipState, Role
from discussions.horizon import horizons_for
from discussions.models import Comment, CommentState, Flag
from readings.models import Reading


class NotificationKind(models.TextChoices):
    """What a notification is about (and, but for the reminder, what an email is about)."""

    REPLY = "reply", "Someone replies to my comment"
    THREAD = "thread", "Someone comments in a thread I took part in"
    MENTION = "mention", "Someone mentions me"
    MEETING_SCHEDULED = "meeting_scheduled", "A session is scheduled in my circles"
    MEETING_CHANGED = "meeting_changed", "A session in my circles changes"
    MEETING_CANCELLED = "meeting_cancelled", "A session in my circles is cancelled"
    COMMENT_HIDDEN = "comment_hidden", "A moderator hides my comment"
    COMMENT_RESTORED = "comment_restored", "My hidden comment is shown again"
    JOIN_REQUESTED = "join_requested", "Someone asks to join a circle I organize"
    JOIN_APPROVED = "join_approved", "My request to join a circle is approved"
    JOIN_DECLINED = "join_declined", "My request to join a circle is declined"
    TEXT_REPLACED = "text_replaced", "The text of a reading in a circle I organize is replaced"
    FLAG_RAISED = "flag_raised", "Someone flags a comment in a circle I moderate"
    FLAG_HIDDEN = "flag_hidden", "Flags hide a comment in a circle I moderate"


def _email_kinds() -> list[tuple[str, tuple[str, str]]]:
    """NotificationKind's members, with the email-only reminder after the other sessions'."""
    members = []
    for kind in NotificationKind:
        members.append((kind.name, (kind.value, kind.label)))
        if kind == NotificationKind.MEETING_CANCELLED:
            members.append(
                ("MEETING_REMINDER", ("meeting_reminder", "A reminder the day before a session"))
            )
    return members


# Every kind of email, each with its own preference. The reminder is email-only.
EmailKind = models.TextChoices("EmailKind", _email_kinds(), module=__name__)


# The one news that reaches someone outside the circle: the answer to their own join request.
DECISION_KINDS = frozenset({NotificationKind.JOIN_APPROVED, NotificationKind.JOIN_DECLINED})

# Kinds whose email may wait for the daily digest (a reminder the day after is no reminder).
DIGESTIBLE_KINDS = frozenset(NotificationKind.values)


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Right away"
    DIGEST = "digest", "In a daily digest"
    NEVER = "never", "Never"


class EmailPreferenceQuerySet(models.QuerySet):
    def opted_out(self, kind: str) -> models.QuerySet:
        """User ids who asked never to get `kind` by email."""
        return self.filter(kind=kind, frequency=Frequency.NEVER).values("user_id")


class EmailPreference(models.Model):
    """A person's choice for one kind of email; no row means "right away"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(max_length=40, choices=EmailKind.choices)
    frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )

    objects = EmailPreferenceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} — {self.get_frequency_display()}"

    @classmethod
    def set(cls, user, kind: str, frequency: str) -> None:
        cls.objects.update_or_create(user=user, kind=kind, defaults={"frequency": frequency})

    @classmethod
    def choices_of(cls, user) -> dict[str, str]:
        """Every kind → the person's frequency for it (right away where they chose nothing)."""
        chosen = dict(cls.objects.filter(user=user).values_list("kind", "frequency"))
        return {kind: chosen.get(kind, Frequency.IMMEDIATELY) for kind in EmailKind.values}


class EmailState(models.TextChoices):
    """Where a notification's email stands; each one is mailed at most once."""

    NONE = "none", "Not emailed"
    IMMEDIATE = "immediate", "To be emailed right away"
    DIGEST = "digest", "Waiting for the daily digest"
    SENT = "sent", "Emailed"


# What `for_user(...).unread()` counts by.
COUNTED_FIELDS = {"read_at", "recipient", "recipient_id", "circle", "circle_id", "kind"}


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> NotificationQuerySet:
        """`user`'s notifications from the circles they are still an active member of, and
        the answers to their own join requests; news of flags only while they moderate."""
        if not user.is_authenticated:
            return self.none()
        member = Membership.objects.filter(
            circle=OuterRef("circle"), user=user, state=MembershipState.ACTIVE
        )
        moderating = member.filter(role__in=[Role.ORGANIZER, Role.MODERATOR])
        return (
            self.filter(recipient=user)
            .filter(Exists(member) | Q(kind__in=DECISION_KINDS))
            .exclude(Q(kind__in=FLAG_KINDS) & ~Exists(moderating))
        )

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def for_display(self) -> NotificationQuerySet:
        return (
            self.select_related(
                "actor",
                "circle",
                "comment__author",
                "comment__reading",
                "comment__chapter",
                "meeting",
                "reading",
                "flag",
            )
            .annotate(schedule_size=Count("schedule"))
            .order_by("-created_at", "-pk")
        )

    def mark_read(self, now=None) -> int:
        return self.unread().update(read_at=now or timezone.now())

    def update(self, **kwargs) -> int:
        """As QuerySet.update; a change to what the bell counts by (read or not, whose,
        which circle, what kind) gives the recipients a new `notices_version` (their count is
        cached per version), in the same transaction."""
        if not COUNTED_FIELDS & set(kwargs):
            return super().update(**kwargs)
        with transaction.atomic():
            recipients = set(self.values_list("recipient_id", flat=True))
            updated = super().update(**kwargs)
            User.bump_notices(*recipients)
        return updated


class Notification(models.Model):
    """One thing that happened that one person should know about (see notifications.fanout)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who did it; empty for the system (or a deleted account).",
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The session it is about (the first, for a schedule of several).",
    )
    schedule = models.ManyToManyField(
        Meeting,
        blank=True,
        related_name="+",
        help_text="Every session of a schedule announced at once: one notification for all.",
    )
    reading = models.ForeignKey(
        Reading,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The reading it is about (a replaced text).",
    )
    thread_count = models.PositiveIntegerField(
        default=0, help_text="A replaced text: how many of the circle's threads it orphaned."
    )
    flag = models.ForeignKey(
        Flag, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=10, choices=EmailState.choices, default=EmailState.NONE)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(email="digest"),
                name="notification_digest_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("notifications:notification-open", args=[self.pk])

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def target_url(self) -> str:
        """Where the notification leads: the comment in its passage, the session, the
        circle's members page (a join request), or the circle (declined: my circles)."""
        if self.kind == NotificationKind.JOIN_REQUESTED:
            return reverse("circles:members", args=[self.circle.slug])
        if self.kind == NotificationKind.JOIN_DECLINED:
            return reverse("circles:my-circles")
        if self.kind == NotificationKind.TEXT_REPLACED:
            return reverse(
                "discussions:reading-orphans", args=[self.circle.slug, self.reading.slug]
            )
        if self.kind in FLAG_KINDS:
            url = reverse("discussions:moderation", args=[self.circle.slug])
            return f"{url}#flagged-{self.comment_id}" if self.comment_id else url
        if self.comment_id:
            self.comment.circle = self.circle
            return self.comment.get_absolute_url()
        if self.sessions_in_schedule > 1:
            return self.circle.get_absolute_url() + "#schedule-heading"
        if self.meeting_id:
            self.meeting.circle = self.circle
            return self.meeting.get_absolute_url()
        return self.circle.get_absolute_url()

    @property
    def sessions_in_schedule(self) -> int:
        """How many sessions this notice announces (0 for one that is about none)."""
        size = getattr(self, "schedule_size", None)
        if size is None:
            size = self.schedule.count()
        return size or (1 if self.meeting_id else 0)

    @property
    def actor_name(self) -> str:
        return self.actor.name if self.actor_id and self.actor else "A former member"

    @property
    def headline(self) -> str:
        """Who did what, as a sentence for the list and for emails."""
        who = self.actor_name
        title = self.meeting.title if self.meeting_id else ""
        match self.kind:
            case NotificationKind.REPLY:
                return f"{who} replied to your comment"
            case NotificationKind.THREAD:
                return f"{who} commented in a thread you took part in"
            case NotificationKind.MENTION:
                return f"{who} mentioned you"
            case NotificationKind.MEETING_SCHEDULED:
                if (count := self.sessions_in_schedule) > 1:
                    return f"{who} scheduled {count} sessions"
                return f"{who} scheduled a session: {title}"
            case NotificationKind.MEETING_CHANGED:
                return f"{who} changed a session: {title}"
            case NotificationKind.MEETING_CANCELLED:
                return f"{who} cancelled a session: {title}"
            case NotificationKind.COMMENT_HIDDEN:
                # Not `actor is None`: a moderator who has since deleted their account also
                # leaves no actor.
                if self.comment_id and self.comment.is_pending_review:
                    return "Your comment was hidden pending review after flags"
                return "A moderator hid your comment"
            case NotificationKind.COMMENT_RESTORED:
                return "A moderator restored your hidden comment"
            case NotificationKind.JOIN_REQUESTED:
                asker = self.actor.name if self.actor_id and self.actor else "someone"
                return f"New join request from {asker}"
            case NotificationKind.JOIN_APPROVED:
                return "Your join request was approved"
            case NotificationKind.JOIN_DECLINED:
                return "Your join request was declined"
            case NotificationKind.TEXT_REPLACED:
                title = self.reading.title if self.reading_id else "a reading"
                if not self.thread_count:
                    return f"The text of “{title}” was replaced: every thread found its words"
                threads = "thread needs" if self.thread_count == 1 else "threads need"
                count = self.thread_count
                return f"The text of “{title}” was replaced: {count} {threads} re-attaching"
            case NotificationKind.FLAG_RAISED:
                reason = f": {self.flag.get_reason_display()}" if self.flag_id and self.flag else ""
                return f"{who} flagged {self._comment_author}’s comment{reason}"
            case NotificationKind.FLAG_HIDDEN:
                return f"Flags hid {self._comment_author}’s comment until a moderator reviews it"
        return self.get_kind_display()

    @property
    def place(self) -> str:
        """Where it happened: the circle, and the reading and chapter of a comment."""
        parts = [self.circle.name]
        if self.comment_id:
            comment = self.comment
            where = comment.reading.title
            if comment.chapter_id:
                where += f", {comment.chapter.display_title}"
            parts.append(where)
        return " · ".join(parts)

    @property
    def _comment_author(self) -> str:
        return self.comment.author_name if self.comment_id and self.comment else "someone"

    @property
    def words(self) -> str:
        """The words of the comment a reply, thread, mention or flag notice is about, while it
        is visible (a hidden or deleted comment's text is never repeated)."""
        comment = self.comment if self.comment_id else None
        if self.kind in WORDED_KINDS and comment and comment.state == CommentState.VISIBLE:
            return comment.plain_text
        return ""

    @property
    def excerpt(self) -> str:
        """`words`, unless they are folded: on a chapter beyond the recipient's reading
        horizon. Lists and emails mark many at once (`mark_folded`); one that was not marked
        is looked up on its own."""
        if not hasattr(self, "folded"):
            mark_folded([self], self.recipient)
        return "" if self.folded else self.words

    @property
    def folded_chapter(self) -> str:
        """What a folded notice says instead of its words: "chapter 9 of Walden"."""
        comment = self.comment
        where = f"chapter {comment.chapter.number}" if comment.chapter_id else "a chapter"
        return f"{where} of {comment.reading.title}"

    @property
    def note(self) -> str:
        """What became of the comment since, or why it was hidden (said to its author)."""
        if not self.comment_id:
            return ""
        comment = self.comment
        if comment.state == CommentState.DELETED:
            return "This comment has since been removed by its author."
        if comment.state != CommentState.HIDDEN:
            return ""
        if self.kind in WORDED_KINDS:
            return "This comment has since been hidden by a moderator."
        if self.kind == NotificationKind.COMMENT_HIDDEN and comment.hidden_reason:
            return f"Reason given: {comment.hidden_reason}"
        return ""


COMMENT_KINDS = frozenset(
    {NotificationKind.REPLY, NotificationKind.THREAD, NotificationKind.MENTION}
)
# News for a circle's moderators (and organizers): never anyone else.
FLAG_KINDS = frozenset({NotificationKind.FLAG_RAISED, NotificationKind.FLAG_HIDDEN})
# Kinds that repeat the words of the comment they are about (while it is visible).
WORDED_KINDS = COMMENT_KINDS | {NotificationKind.FLAG_RAISED}


def mark_folded(notifications: list[Notification], user, *, show: bool = False) -> None:
    """Set `folded` on each of `user`'s `notifications` whose words are about a chapter
    beyond their reading horizon in its circle (`discussions.horizon`): one query for all
    the circles, none when nothing has words or `show` ("show anyway") is asked."""
    worded = [n for n in notifications if n.words]
    for notification in notifications:
        notification.folded = False
    if show or not worded:
        return
    circles = {n.circle_id: n.circle for n in worded}
    horizons = horizons_for(user, circles.values())
    for notification in worded:
        notification.folded = not horizons[notification.circle_id].shows(notification.comment)


class ReminderSent(models.Model):
    """One row per (session, person, start time) reminded: a reminder is never sent twice for
    one time, and a session moved after its reminder is reminded again for its new time."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(help_text="The session's start this reminder was for.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user", "starts_at"], name="reminder_once_per_time"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.user} for {self.meeting}"


def notification_deleted(sender, instance: Notification, **kwargs) -> None:
    """A deleted unread notification (alone or with what it is about) changes its
    recipient's count: a new `notices_version`, in the deletion's transaction. (A read one
    changes nothing the bell counts, and deleting many, as with an account, stays cheap.)"""
    if instance.read_at is None:
        User.bump_notices(instance.recipient_id)
