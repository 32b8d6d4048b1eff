"""The admin for site staff: circles, sessions, and moderation of the margins.

Comments cannot be added, edited or deleted here; staff act on them through the actions
(hide, restore, resolve flags, ban the author), which go through `discussions.moderation`, so
every action is in the moderation log. The log itself is read-only.

The changelists stay fast on large tables: foreign keys are joined (`list_select_related`),
the open-flag count is a subquery annotation, and foreign keys are edited by id.

People's memberships: `accounts` must not depend on `discussions`, so the membership inline
is added to the User admin from here, by unregistering accounts' `UserAdmin` and registering
a subclass with one more inline. Change the User admin in `accounts/admin.py`; this subclass
only adds the inline.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from accounts.admin import UserAdmin

from .models import (
    Circle,
    Comment,
    CommentRevision,
    CommentState,
    Flag,
    FlagResolution,
    Meeting,
    Membership,
    ModerationEvent,
)
from .models.circles import LastOrganizer
from .moderation import (
    ModerationError,
    ban_member,
    hide_comment,
    resolve_flags,
    restore_comment,
)

STAFF_HIDE_REASON = "Hidden by the site's staff"


def _excerpt(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _run(modeladmin: admin.ModelAdmin, request: HttpRequest, items, action, verb: str) -> None:
    """Apply a moderation service to each item; report what was done and what was refused."""
    done, refused = 0, []
    for item in items:
        try:
            action(item)
        except (ModerationError, LastOrganizer) as error:
            refused.append(str(error))
        else:
            done += 1
    if done:
        modeladmin.message_user(request, f"{verb}: {done}.", messages.SUCCESS)
    for message in dict.fromkeys(refused):
        modeladmin.message_user(request, message, messages.WARNING)


# --- comments ----------------------------------------------------------------------------------


class OpenFlagsFilter(admin.SimpleListFilter):
    title = "open flags"
    parameter_name = "open_flags"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(open_flag_count__gt=0)
        if self.value() == "no":
            return queryset.filter(open_flag_count=0)
        return queryset


class RevisionInline(admin.TabularInline):
    model = CommentRevision
    fields = ["created_at", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Earlier versions (newest first)"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class FlagInline(admin.TabularInline):
    model = Flag
    fields = ["created_at", "reporter", "reason", "note", "resolution", "resolved_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("reporter", "resolved_by")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "author",
        "circle",
        "where",
        "state",
        "open_flags",
        "created_at",
    ]
    list_select_related = ["author", "circle", "reading", "chapter"]
    list_filter = [
        "state",
        OpenFlagsFilter,
        "circle",
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["body", "author__email", "author__display_name"]
    show_full_result_count = False
    list_per_page = 50
    actions = ["hide_comments", "restore_comments", "keep_comments", "ban_authors"]
    fieldsets = [
        (None, {"fields": ["circle", "author", "where", "state", "hidden_reason", "created_at"]}),
        ("Text", {"fields": ["body", "edited_at", "is_private"]}),
        ("Thread", {"fields": ["thread"]}),
        (
            "Anchor",
            {
                "classes": ["collapse"],
                "fields": [
                    "passage_key",
                    "anchor_exact",
                    "anchor_prefix",
                    "anchor_suffix",
                    "anchor_start",
                    "anchor_end",
                    "anchor_status",
                ],
            },
        ),
    ]
    readonly_fields = [field for fieldset in fieldsets for field in fieldset[1]["fields"]]
    inlines = [FlagInline, RevisionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        open_flags = (
            Flag.objects.open()
            .filter(comment=OuterRef("pk"))
            .order_by()
            .values("comment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                open_flag_count=Coalesce(
                    Subquery(open_flags, output_field=IntegerField()), Value(0)
                )
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Comments leave through hiding (logged) or their author's deletion, never from here.
        return False

    @admin.display(description="comment")
    def excerpt(self, comment: Comment) -> str:
        if comment.state == CommentState.DELETED:
            return "(deleted by its author)"
        return _excerpt(comment.body)

    @admin.display(description="reading and chapter")
    def where(self, comment: Comment) -> SafeString:
        chapter = f" · chapter {comment.chapter.number}" if comment.chapter_id else ""
        return format_html(
            '<a href="{}">{}{}</a>', comment.get_absolute_url(), comment.reading.title, chapter
        )

    @admin.display(description="open flags", ordering="open_flag_count")
    def open_flags(self, comment: Comment) -> int:
        return comment.open_flag_count

    @admin.display(description="thread")
    def thread(self, comment: Comment) -> SafeString:
        """The whole thread, oldest first, this comment in bold."""
        root_id = comment.root_id or comment.pk
        rows = (
            Comment.objects.filter(Q(pk=root_id) | Q(root_id=root_id))
            .select_related("author")
            .order_by("created_at", "pk")
        )
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> — {} ({}){}</li>',
                (
                    (
                        reverse("admin:discussions_comment_change", args=[row.pk]),
                        row.author_name,
                        _excerpt(row.body, 200) or "(no text)",
                        row.get_state_display(),
                        " ← this comment" if row.pk == comment.pk else "",
                    )
                    for row in rows
                ),
            ),
        )

    @admin.action(description="Hide the selected comments (logged)")
    def hide_comments(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run(
            self,
            request,
            queryset,
            lambda comment: hide_comment(comment, request.user, STAFF_HIDE_REASON),
            "Hidden",
        )

    @admin.action(description="Restore the selected hidden comments (logged)")
    def restore_comments(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run(
            self,
            request,
            queryset,
            lambda comment: restore_comment(comment, request.user),
            "Restored",
        )

    @admin.action(description="Resolve flags: keep the selected comments (logged)")
    def keep_comments(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run(
            self,
            request,
            queryset,
            lambda comment: resolve_flags(comment, request.user, FlagResolution.KEPT),
            "Flags resolved, comments kept",
        )

    @admin.action(description="Ban the authors from the comments’ circles (logged)")
    def ban_authors(self, request: HttpRequest, queryset: QuerySet) -> None:
        pairs = {
            (comment.circle, comment.author)
            for comment in queryset.filter(author__isnull=False).select_related("circle", "author")
        }
        _run(
            self,
            request,
            pairs,
            lambda pair: ban_member(pair[0], pair[1], request.user, "Banned by the site's staff"),
            "Banned",
        )


# --- flags and the log ---------------------------------------------------------------------


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    """The review queue: open flags first, oldest first."""

    list_display = ["comment_excerpt", "reason", "reporter", "circle", "resolution", "created_at"]
    list_select_related = ["comment__circle", "comment__author", "reporter"]
    list_filter = ["resolution", "reason", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["comment__body", "note", "reporter__email"]
    raw_id_fields = ["comment", "reporter", "resolved_by"]
    readonly_fields = [
        "comment",
        "reporter",
        "reason",
        "note",
        "created_at",
        "resolution",
        "resolved_by",
        "resolved_at",
    ]
    actions = ["keep", "hide"]

    def get_ordering(self, request: HttpRequest) -> list:
        open_first = Case(When(resolution=FlagResolution.OPEN, then=0), default=1)
        return [open_first.asc(), "created_at", "pk"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="comment")
    def comment_excerpt(self, flag: Flag) -> str:
        return str(flag.comment)

    @admin.display(description="circle", ordering="comment__circle__name")
    def circle(self, flag: Flag) -> Circle:
        return flag.comment.circle

    def _comments(self, queryset: QuerySet) -> QuerySet:
        return Comment.objects.filter(pk__in=queryset.open().values("comment_id"))

    @admin.action(description="Keep the flagged comments (resolves their flags, logged)")
    def keep(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run(
            self,
            request,
            self._comments(queryset),
            lambda comment: resolve_flags(comment, request.user, FlagResolution.KEPT),
            "Kept",
        )

    @admin.action(description="Hide the flagged comments (resolves their flags, logged)")
    def hide(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run(
            self,
            request,
            self._comments(queryset),
            lambda comment: resolve_flags(comment, request.user, FlagResolution.HIDDEN),
            "Hidden",
        )


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    """The moderation log: read it, never change it."""

    list_display = ["created_at", "actor_name", "action", "circle", "comment", "target_user"]
    list_select_related = ["actor", "circle", "comment__author", "target_user"]
    list_filter = ["action", ("circle", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["reason", "actor__email", "target_user__email"]
    date_hierarchy = "created_at"

    @admin.display(description="by")
    def actor_name(self, event: ModerationEvent) -> str:
        return event.actor_name

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# --- circles, sessions, people -------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "state", "joined_at"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Circle)
class CircleAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "visibility", "flag_threshold", "created_at"]
    list_filter = ["visibility"]
    search_fields = ["name", "slug"]
    raw_id_fields = ["created_by"]
    filter_horizontal = ["readings"]
    fields = [
        "name",
        "slug",
        "description",
        "visibility",
        "time_zone",
        "flag_threshold",
        "readings",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["created_at"]
    inlines = [MembershipInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "circle", "starts_at", "status"]
    list_select_related = ["circle"]
    list_filter = ["status", ("starts_at", admin.DateFieldListFilter)]
    search_fields = ["title", "circle__name"]
    raw_id_fields = ["circle", "reading", "first_chapter", "last_chapter"]
    date_hierarchy = "starts_at"


class UserMembershipInline(admin.TabularInline):
    model = Membership
    fields = ["circle", "role", "state", "joined_at"]
    raw_id_fields = ["circle"]
    extra = 0
    verbose_name_plural = "Circles"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipsAdmin(UserAdmin):
    """accounts' UserAdmin, plus the person's circles (see the module docstring)."""

    inlines = [*UserAdmin.inlines, UserMembershipInline]

    def get_inlines(self, request: HttpRequest, obj=None) -> list:
        return super().get_inlines(request, obj) if obj is not None else []
