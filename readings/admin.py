from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .models import Chapter, ChapterReached, Passage, Reading, ReadingProgress
from .services import edit_passage, rename_chapter
from .uploads import run_import_flow


class ChapterInline(admin.TabularInline):
    model = Chapter
    fields = ["number", "title", "word_count"]
    readonly_fields = ["number", "word_count"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "slug", "text_version", "created_at"]
    search_fields = ["title", "author", "slug"]
    readonly_fields = ["text_version", "source_format", "created_by", "created_at", "updated_at"]
    fields = [
        "title",
        "slug",
        "author",
        "source_note",
        "licence",
        "language",
        *readonly_fields,
    ]
    inlines = [ChapterInline]

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="readings_reading_import",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        # Readings come in through the import page, which this makes the "Add" button.
        return redirect("admin:readings_reading_import")

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a file, see the chapters found in it, confirm to save it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        step = run_import_flow(request, created_by=request.user)
        if step.reading is not None:
            self.message_user(request, f"Imported “{step.reading.title}”.", level=messages.SUCCESS)
            return redirect(reverse("admin:readings_reading_change", args=[step.reading.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import a reading",
            "step": step,
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/readings/reading/import.html", context)


class PassageInline(admin.TabularInline):
    model = Passage
    fields = ["position", "key", "kind", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["position"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "number", "word_count"]
    list_select_related = ["reading"]
    search_fields = ["title", "reading__title"]
    fields = ["reading", "number", "title", "word_count"]
    readonly_fields = ["reading", "number", "word_count"]
    inlines = [PassageInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Chapter, form, change: bool) -> None:
        """Through `rename_chapter`, which grows the reading's text version."""
        if change and "title" in form.changed_data:
            rename_chapter(obj, form.cleaned_data["title"])
        else:
            super().save_model(request, obj, form, change)


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    list_display = ["key", "reading", "chapter_number", "position", "kind", "short_text"]
    list_select_related = ["reading", "chapter"]
    list_filter = ["kind"]
    search_fields = ["key", "text", "reading__title"]
    raw_id_fields = ["reading", "chapter"]
    fields = ["reading", "chapter", "position", "key", "kind", "text", "html", "word_count"]
    readonly_fields = ["reading", "chapter", "position", "key", "html", "word_count"]

    @admin.display(description="chapter", ordering="chapter__number")
    def chapter_number(self, passage: Passage) -> int:
        return passage.chapter.number

    @admin.display(description="text")
    def short_text(self, passage: Passage) -> str:
        return passage.text if len(passage.text) <= 80 else passage.text[:79] + "…"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Passage, form, change: bool) -> None:
        """Through `edit_passage`: an edited text keeps its markup and tells listeners, and
        any change to the text or kind bumps the reading's text version (which keys the
        circles' cached chapters)."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        edit_passage(obj, text=form.cleaned_data.get("text"), kind=form.cleaned_data.get("kind"))
        others = sorted(set(form.changed_data) - {"text", "kind"})
        if others:
            obj.save(update_fields=others)


@admin.register(ReadingProgress)
class ReadingProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "reading", "chapter", "updated_at"]
    list_select_related = ["user", "reading", "chapter"]
    raw_id_fields = ["user", "reading", "chapter", "passage"]
    search_fields = ["user__email", "reading__title"]


@admin.register(ChapterReached)
class ChapterReachedAdmin(admin.ModelAdmin):
    list_display = ["user", "reading", "chapter", "reached_at"]
    list_select_related = ["user", "reading", "chapter"]
    raw_id_fields = ["user", "reading", "chapter"]
    search_fields = ["user__email", "reading__title"]
