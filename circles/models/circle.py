"""Circles and who belongs to them: Circle, Membership, Invite, JoinRequest."""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import time, timedelta
from functools import cache

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User, validate_time_zone
from circles.markdown import render_markdown
from readings.models import Chapter, Reading, ReadingProgress


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public — anyone can see it and join"
    PRIVATE = "private", "Private — invitation only"


class Role(models.TextChoices):
    ORGANIZER = "organizer", "Organizer"
    MODERATOR = "moderator", "Moderator"
    MEMBER = "member", "Member"


class MembershipState(models.TextChoices):
    ACTIVE = "active", "Active"
    BANNED = "banned", "Banned"


class CircleQuerySet(models.QuerySet):
    def public(self) -> CircleQuerySet:
        return self.filter(visibility=Visibility.PUBLIC)

    def with_schedule_stamp(self, slug: str) -> Circle | None:
        """The circle `slug` with `texts_changed`: when a reading of its sessions last changed
        (its title or text; a chapter's title bumps its text version). With the circle's
        `schedule_version`, name and time zone, what a schedule's rendering depends on.

        One plain query, loading only those fields (the public calendar feed's whole cost
        when its schedule has not changed): built by the ORM (a join and a `Max`), making it
        cost more than running it (bench/README.md)."""
        return next(iter(self.raw(_schedule_stamp_sql(connection.vendor), [slug])), None)

    def with_member_count(self) -> CircleQuerySet:
        return self.annotate(
            member_count=models.Count(
                "memberships", filter=Q(memberships__state=MembershipState.ACTIVE)
            )
        )

    def of_member(self, user) -> CircleQuerySet:
        """Circles where `user` is an active member (any role)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            memberships__user=user, memberships__state=MembershipState.ACTIVE
        ).distinct()

    def visible_to(self, user) -> CircleQuerySet:
        """Public circles, and private ones the user belongs to (staff see every circle)."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        if not user.is_authenticated:
            return self.public()
        banned = Membership.objects.filter(user=user, state=MembershipState.BANNED)
        mine = Membership.objects.filter(user=user, state=MembershipState.ACTIVE)
        return self.filter(
            Q(visibility=Visibility.PUBLIC) | Q(pk__in=mine.values("circle_id"))
        ).exclude(Q(visibility=Visibility.PRIVATE) & Q(pk__in=banned.values("circle_id")))


@cache
def _schedule_stamp_sql(vendor: str) -> str:
    """`with_schedule_stamp`'s SQL, made once per database vendor from the tables' names."""
    q = connection.ops.quote_name
    meetings = Circle._meta.get_field("meetings").related_model
    circle, meeting = q(Circle._meta.db_table), q(meetings._meta.db_table)
    reading = q(Reading._meta.db_table)
    return (
        "SELECT c.id, c.name, c.slug, c.visibility, c.time_zone, c.schedule_version, "
        "MAX(r.updated_at) AS texts_changed "
        f"FROM {circle} c LEFT JOIN {meeting} m ON m.circle_id = c.id "
        f"LEFT JOIN {reading} r ON r.id = m.reading_id "
        "WHERE c.slug = %s GROUP BY c.id"
    )


class Circle(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    schedule_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Grows in the transaction of every write to the circle's sessions "
        "(`bump_schedule`): what is cached per schedule is keyed by it, so never stale.",
    )
    readings = models.ManyToManyField(Reading, related_name="circles", blank=True)
    flag_threshold = models.PositiveSmallIntegerField(
        default=3, help_text="Flags from distinct members that hide a comment pending review."
    )
    fold_spoilers = models.BooleanField(
        "fold discussion of chapters a member hasn’t reached",
        default=True,
        help_text="Comments on chapters beyond where a member has read (and beyond the past "
        "sessions) are folded for them, with a link to show them anyway. Each member can "
        "choose otherwise for themselves.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CircleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.description_html = render_markdown(self.description)
        if not self.slug:
            self.slug = unique_slug(Circle, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("circles:circle", args=[self.slug])

    @staticmethod
    def bump_schedule(*circle_ids: int) -> None:
        """A new schedule version for these circles (call inside the write's transaction)."""
        Circle.objects.filter(pk__in=circle_ids).update(
            schedule_version=models.F("schedule_version") + 1
        )

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @transaction.atomic
    def add_member(self, user, role: str = Role.MEMBER) -> Membership:
        """Make `user` an active member; an existing membership keeps its role. Never un-bans."""
        membership, _ = Membership.objects.get_or_create(
            circle=self, user=user, defaults={"role": role}
        )
        return membership

    def where_to_read(self, user, next_meeting=None) -> tuple[Chapter, bool] | None:
        """Where `user` reads on in this circle: (the chapter, whether they are continuing).
        The reading of the next session (else the circle's first), at their place in it if
        they have one, else at the next session's first chapter (else the first chapter)."""
        reading = next_meeting.reading if next_meeting else self.readings.order_by("title").first()
        if reading is None:
            return None
        progress = (
            ReadingProgress.objects.for_user(user)
            .filter(reading=reading)
            .select_related("chapter")
            .first()
        )
        if progress is not None:
            chapter = progress.chapter
        elif next_meeting is not None:
            chapter = next_meeting.first_chapter
        else:
            chapter = reading.chapters.order_by("number").first()
        if chapter is None:
            return None
        chapter.reading = reading
        return chapter, progress is not None

    def usual_time(self) -> time:
        """When the circle usually meets, on its own clock: the most frequent start time of
        its sessions (the latest one's, on a tie), else 19:00."""
        zone = zoneinfo.ZoneInfo(self.time_zone)
        starts = self.meetings.order_by("-starts_at").values_list("starts_at", flat=True)[:50]
        local = [start.astimezone(zone).time().replace(second=0, microsecond=0) for start in starts]
        if not local:
            return time(19, 0)
        return max(local, key=lambda at: (local.count(at), -local.index(at)))

    def organizer_count(self) -> int:
        return self.memberships.active().filter(role=Role.ORGANIZER).count()

    @transaction.atomic
    def leave(self, user) -> None:
        """`user` leaves; the last organizer must hand over first (raises LastOrganizer)."""
        membership = Membership.objects.select_for_update().filter(circle=self, user=user).first()
        if membership is None or not membership.is_active:
            return
        if membership.role == Role.ORGANIZER and self.organizer_count() <= 1:
            raise LastOrganizer(
                "You are this circle’s only organizer. Make another member an organizer "
                "before you leave."
            )
        membership.delete()


class LastOrganizer(Exception):
    """A change that would leave a circle without an organizer."""


# Path segments under /circles/ that are pages, not circles.
RESERVED_SLUGS = frozenset({"new", "mine"})


def unique_slug(model: type[models.Model], text: str, max_length: int = 60) -> str:
    base = slugify(text)[:max_length].strip("-") or "circle"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(state=MembershipState.ACTIVE)

    def update(self, **kwargs) -> int:
        """As QuerySet.update, and the people whose memberships change get a new
        `notices_version` (their bell counts by membership), in the same transaction."""
        with transaction.atomic():
            users = set(self.values_list("user_id", flat=True))
            updated = super().update(**kwargs)
            User.bump_notices(*users)
        return updated

    def sharing_place(self) -> MembershipQuerySet:
        """Active members who share their place in the reading (`Membership.shares_place`,
        in SQL)."""
        by_default = Q(share_place__isnull=True, circle__visibility=Visibility.PRIVATE)
        return self.active().filter(Q(share_place=True) | by_default)

    def by_role(self) -> MembershipQuerySet:
        """Organizers first, then moderators, then members; each by when they joined."""
        rank = models.Case(
            models.When(role=Role.ORGANIZER, then=0),
            models.When(role=Role.MODERATOR, then=1),
            default=2,
        )
        return self.select_related("user").order_by(rank, "joined_at", "pk")


class Membership(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(
        max_length=10, choices=MembershipState.choices, default=MembershipState.ACTIVE
    )
    joined_at = models.DateTimeField(default=timezone.now)
    share_place = models.BooleanField(
        "share my place in the reading",
        null=True,
        blank=True,
        default=None,
        help_text="Empty: the circle’s kind decides (shared in private circles, not in public "
        "ones; see `shares_place`).",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["circle", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["circle", "user"], name="membership_once"),
        ]
        indexes = [models.Index(fields=["user", "state"], name="membership_user_state")]

    def __str__(self) -> str:
        return f"{self.user} in {self.circle} ({self.get_role_display()})"

    def save(self, *args, **kwargs) -> None:
        # Which circles' notifications a person's bell counts depends on their memberships.
        with transaction.atomic():
            super().save(*args, **kwargs)
            User.bump_notices(self.user_id)

    @property
    def is_active(self) -> bool:
        return self.state == MembershipState.ACTIVE

    @property
    def is_organizer(self) -> bool:
        return self.is_active and self.role == Role.ORGANIZER

    @property
    def is_moderator(self) -> bool:
        """Moderators and organizers may moderate."""
        return self.is_active and self.role in (Role.ORGANIZER, Role.MODERATOR)

    @property
    def shares_place(self) -> bool:
        """Whether the circle sees where this member is in its readings. Until they choose,
        members of a private circle (people who were invited, and know each other) share it,
        and members of a public one (which anyone can join) do not."""
        if self.share_place is not None:
            return self.share_place
        return not self.circle.is_public

    def _is_last_organizer(self) -> bool:
        return (
            self.is_organizer
            and not self.circle.memberships.active()
            .filter(role=Role.ORGANIZER)
            .exclude(pk=self.pk)
            .exists()
        )

    @transaction.atomic
    def change_role(self, role: str) -> None:
        """Give this member another role; the circle always keeps an organizer."""
        if role == self.role:
            return
        if self._is_last_organizer():
            raise LastOrganizer(
                f"{self.user} is the circle’s only organizer. Make someone else an organizer first."
            )
        self.role = role
        self.save(update_fields=["role"])

    @transaction.atomic
    def remove(self) -> None:
        """Take this person out of the circle (they may join again if the circle allows)."""
        if self._is_last_organizer():
            raise LastOrganizer(
                f"{self.user} is the circle’s only organizer and cannot be removed. Make "
                "someone else an organizer first."
            )
        self.delete()


def membership_deleted(sender, instance: Membership, **kwargs) -> None:
    """A membership gone (alone, in a queryset or with its circle) changes what its person's
    bell counts: a new `notices_version`, in the deletion's transaction."""
    User.bump_notices(instance.user_id)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class InviteQuerySet(models.QuerySet):
    def usable(self) -> InviteQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).filter(
            Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses"))
        )


class Invite(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="invites")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    max_uses = models.PositiveIntegerField(null=True, blank=True, help_text="Empty for no limit.")
    uses = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InviteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invite to {self.circle} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("circles:invite-accept", args=[self.token])

    @classmethod
    def create_for(cls, circle: Circle, by, *, days: int = 14, max_uses: int | None = None):
        return cls.objects.create(
            circle=circle,
            created_by=by,
            expires_at=timezone.now() + timedelta(days=days),
            max_uses=max_uses,
        )

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        if self.max_uses is not None and self.uses >= self.max_uses:
            return "used up"
        return "active"

    @property
    def is_usable(self) -> bool:
        return self.status == "active"

    @transaction.atomic
    def redeem(self, user) -> Membership:
        """Join `user` through this invite, counting one use (atomically, so limits hold)."""
        existing = Membership.objects.filter(circle=self.circle, user=user).first()
        if existing is not None:
            return existing
        used = Invite.objects.usable().filter(pk=self.pk).update(uses=F("uses") + 1)
        if not used:
            raise InviteUnusable(f"This invitation is {self.status}.")
        return self.circle.add_member(user)

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class InviteUnusable(Exception):
    pass


class JoinRequestState(models.TextChoices):
    PENDING = "pending", "Waiting for an organizer"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class JoinRequestQuerySet(models.QuerySet):
    def pending(self) -> JoinRequestQuerySet:
        return self.filter(state=JoinRequestState.PENDING)


class JoinRequest(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(blank=True, max_length=1000)
    state = models.CharField(
        max_length=10, choices=JoinRequestState.choices, default=JoinRequestState.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "user"],
                condition=Q(state="pending"),
                name="one_pending_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.circle} ({self.state})"

    @property
    def is_pending(self) -> bool:
        return self.state == JoinRequestState.PENDING

    @transaction.atomic
    def decide(self, by, *, approve: bool) -> None:
        self.state = JoinRequestState.APPROVED if approve else JoinRequestState.DECLINED
        self.decided_by = by
        self.decided_at = timezone.now()
        self.save(update_fields=["state", "decided_by", "decided_at"])
        if approve:
            self.circle.add_member(self.user)
