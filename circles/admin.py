"""The admin for site staff: circles, their members and sessions, and people's circles.

People's memberships: `accounts` must not depend on `circles`, so the membership inline is
added to the User admin from here, by unregistering accounts' `UserAdmin` and registering a
subclass with one more inline. Change the User admin in `accounts/admin.py`; this subclass
only adds the inline.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest

from accounts.admin import UserAdmin

from .models import Circle, Meeting, Membership, MembershipState


class MembershipAdminForm(forms.ModelForm):
    """A banned member's role stays as it was: changing it here would make a banned person an
    organizer or moderator again when the ban is lifted, with nothing in the log."""

    class Meta:
        model = Membership
        fields = ["role"]

    def clean_role(self):
        role = self.cleaned_data["role"]
        banned = self.instance.pk and self.instance.state == MembershipState.BANNED
        if banned and role != self.instance.role:
            raise forms.ValidationError(
                "This member is banned: their role cannot change until the ban is lifted "
                "(on the circle's moderation page)."
            )
        return role


class MembershipInline(admin.TabularInline):
    """A ban is a moderation action (logged): it goes through the comments' ban action or the
    circle's moderation page, never through editing `state` here. Rows cannot be deleted here
    either (deleting a banned member's row would lift the ban unlogged); a row added here is
    an active membership, since `state` is read-only."""

    model = Membership
    form = MembershipAdminForm
    fields = ["user", "role", "state", "joined_at"]
    readonly_fields = ["state"]
    raw_id_fields = ["user"]
    extra = 0
    can_delete = False


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
    """As `MembershipInline`: bans are logged moderation actions, not edits or deletions."""

    model = Membership
    form = MembershipAdminForm
    fields = ["circle", "role", "state", "joined_at"]
    readonly_fields = ["state"]
    raw_id_fields = ["circle"]
    extra = 0
    can_delete = False
    verbose_name_plural = "Circles"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipsAdmin(UserAdmin):
    """accounts' UserAdmin, plus the person's circles (see the module docstring)."""

    inlines = [*UserAdmin.inlines, UserMembershipInline]

    def get_inlines(self, request: HttpRequest, obj=None) -> list:
        return super().get_inlines(request, obj) if obj is not None else []
