"""The admin for site staff: moderation of the margins.

Comments cannot be added or deleted here; staff act on them through the actions (hide,
restore, resolve flags, ban the author), which go through `discussions.moderation`, so every
action is in the moderation log. The one field staff may change is a comment's text, with a
reason: the correction goes through `moderation.correct_comment`, which keeps the earlier
text as a revision by staff and logs the reason. The log itself is read-only. The actions need the
"change" permission on comments (or flags): staff who may only view see the lists and act on
nothing.

The changelists stay fast on large tables: foreign keys are joined (`list_select_related`),
the open-flag count is a subquery annotation, and foreign keys are edited by id.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from circles.models import Circle, LastOrganizer

from .forms import ReasonField
from .models import (
    Comment,
    CommentRevision,
    CommentState,
    Flag,
    FlagResolution,
    ModerationEvent,
)
from .moderation import (
    ModerationError,
    ban_member,
    correct_comment,
    hide_comment,
    resolve_flags,
    restore_comment,
)


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


class ReasonForm(forms.Form):
    reason = ReasonField(
        help_text="Written to the moderation log; a hidden comment's author sees it too.",
        error_messages={"required": "Give a reason: it goes into the moderation log."},
        widget=forms.TextInput(attrs={"size": 60, "autofocus": True}),
    )


def _ask_reason(
    modeladmin: admin.ModelAdmin, request: HttpRequest, items: list, *, title: str, button: str
) -> tuple[str | None, TemplateResponse | None]:
    """Like Django's delete confirmation: the action's first post shows a page listing
    `items` and asking for a reason; its second post (with `apply`) returns the reason.
    Returns (reason, None) to go ahead, or (None, the page) to show."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        return form.cleaned_data["reason"], None
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": opts,
        "items": items,
        "form": form,
        "button": button,
        "action": request.POST.get("action", ""),
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
    }
    return None, TemplateResponse(request, "admin/discussions/action_reason.html", context)


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
    fields = ["created_at", "kind", "changed_by", "role", "reason", "body", "state"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "History: each change, who made it, and the comment before it"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("changed_by")

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


class CorrectionForm(forms.ModelForm):
    """The change form: staff may correct the text, and must say why."""

    correction_reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=300,
        help_text="Required when you change the text: kept in its history and the moderation "
        "log, which its author and the circle's moderators read.",
        widget=forms.TextInput(attrs={"size": 60}),
    )

    class Meta:
        model = Comment
        fields = ["body"]

    def clean(self) -> dict:
        data = super().clean()
        if "body" in self.changed_data:
            if not (data.get("body") or "").strip():
                self.add_error("body", "A comment cannot be empty; hide it instead.")
            if not (data.get("correction_reason") or "").strip():
                self.add_error(
                    "correction_reason", "Say why you changed the text: its history keeps it."
                )
        return data


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "author", "where", "status", "written"]
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
        ("Text", {"fields": ["body", "correction_reason", "edited_at", "is_private"]}),
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
    readonly_fields = [
        field
        for fieldset in fieldsets
        for field in fieldset[1]["fields"]
        if field not in ("body", "correction_reason")
    ]
    form = CorrectionForm
    inlines = [FlagInline, RevisionInline]

    def get_fieldsets(self, request: HttpRequest, obj=None) -> list:
        if self._can_correct(request, obj):
            return self.fieldsets
        text = {"fields": ["body", "edited_at", "is_private"]}
        return [(name, text if name == "Text" else opts) for name, opts in self.fieldsets]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list:
        if self._can_correct(request, obj):
            return self.readonly_fields
        return [*self.readonly_fields, "body"]

    def _can_correct(self, request: HttpRequest, obj) -> bool:
        """Staff who may change comments correct the text of those not deleted."""
        return (
            obj is not None
            and obj.state != CommentState.DELETED
            and self.has_change_permission(request, obj)
        )

    def save_model(self, request: HttpRequest, obj: Comment, form, change: bool) -> None:
        """Only the text changes here, through `correct_comment` (revision + log)."""
        if "body" not in form.changed_data:
            return
        try:
            correct_comment(
                obj, request.user, form.cleaned_data["body"], form.cleaned_data["correction_reason"]
            )
        except ModerationError as error:
            self.message_user(request, str(error), messages.ERROR)

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

    class Media:
        css = {"all": ["css/admin-moderation.css"]}

    @admin.display(description="comment")
    def excerpt(self, comment: Comment) -> str:
        if comment.state == CommentState.DELETED:
            return "(deleted by its author)"
        return _excerpt(comment.body, 50)

    @admin.display(description="where")
    def where(self, comment: Comment) -> SafeString:
        """The passage (a link to it in the reader), and the circle below it."""
        chapter = f" · chapter {comment.chapter.number}" if comment.chapter_id else ""
        return format_html(
            '<a href="{}">{}{}</a><span class="comment-circle">{}</span>',
            comment.get_absolute_url(),
            _excerpt(comment.reading.title, 32),
            chapter,
            comment.circle.name,
        )

    @admin.display(description="status", ordering="open_flag_count")
    def status(self, comment: Comment) -> SafeString:
        """Its state in one word, and its open flags (sorting by this column sorts by them)."""
        state = {"visible": "Visible", "hidden": "Hidden", "deleted": "Deleted"}[comment.state]
        if not comment.open_flag_count:
            return format_html("{}", state)
        n = comment.open_flag_count
        return format_html(
            '{}<span class="open-flags">{} open flag{}</span>', state, n, "" if n == 1 else "s"
        )

    @admin.display(description="written", ordering="created_at")
    def written(self, comment: Comment) -> SafeString:
        when = localtime(comment.created_at)
        return format_html(
            '<time datetime="{}">{}</time> {}',
            when.isoformat(),
            date_format(when, "j M Y"),
            date_format(when, "H:i"),
        )

    @admin.display(description="thread")
    def thread(self, comment: Comment) -> SafeString:
        """The whole thread, oldest first, this comment in bold."""
        root_id = comment.root_id or comment.pk
        rows = (
            Comment.objects.in_thread(root_id).select_related("author").order_by("created_at", "pk")
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

    @admin.action(
        description="Hide the selected comments (asks for a reason; logged)", permissions=["change"]
    )
    def hide_comments(self, request: HttpRequest, queryset: QuerySet):
        comments = list(queryset.select_related("author"))
        reason, page = _ask_reason(
            self, request, comments, title="Hide these comments?", button="Hide them"
        )
        if page is not None:
            return page
        _run(
            self,
            request,
            comments,
            lambda comment: hide_comment(comment, request.user, reason),
            "Hidden",
        )
        return None

    @admin.action(
        description="Restore the selected hidden comments (logged)", permissions=["change"]
    )
    def restore_comments(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run(
            self,
            request,
            queryset,
            lambda comment: restore_comment(comment, request.user),
            "Restored",
        )

    @admin.action(
        description="Resolve flags: keep the selected comments (logged)", permissions=["change"]
    )
    def keep_comments(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run(
            self,
            request,
            queryset,
            lambda comment: resolve_flags(comment, request.user, FlagResolution.KEPT),
            "Flags resolved, comments kept",
        )

    @admin.action(
        description="Ban the authors from the comments’ circles (asks why; logged)",
        permissions=["change"],
    )
    def ban_authors(self, request: HttpRequest, queryset: QuerySet):
        pairs = list(
            dict.fromkeys(
                (comment.circle, comment.author)
                for comment in queryset.filter(author__isnull=False).select_related(
                    "circle", "author"
                )
            )
        )
        reason, page = _ask_reason(
            self,
            request,
            [f"{author} from {circle}" for circle, author in pairs],
            title="Ban these authors?",
            button="Ban them",
        )
        if page is not None:
            return page
        _run(
            self,
            request,
            pairs,
            lambda pair: ban_member(pair[0], pair[1], request.user, reason),
            "Banned",
        )
        return None


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

    @admin.action(
        description="Keep the flagged comments (resolves their flags, logged)",
        permissions=["change"],
    )
    def keep(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run(
            self,
            request,
            self._comments(queryset),
            lambda comment: resolve_flags(comment, request.user, FlagResolution.KEPT),
            "Kept",
        )

    @admin.action(
        description="Hide the flagged comments (resolves their flags; asks why)",
        permissions=["change"],
    )
    def hide(self, request: HttpRequest, queryset: QuerySet):
        comments = list(self._comments(queryset).select_related("author"))
        reason, page = _ask_reason(
            self, request, comments, title="Hide these flagged comments?", button="Hide them"
        )
        if page is not None:
            return page
        _run(
            self,
            request,
            comments,
            lambda comment: resolve_flags(comment, request.user, FlagResolution.HIDDEN, reason),
            "Hidden",
        )
        return None


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
