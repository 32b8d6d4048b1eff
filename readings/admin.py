from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .admin_replace import replace_view
from .chapter_text import chapter_text, edit_chapter_text
from .importers.base import ReadingImportError
from .models import (
    Chapter,
    ChapterKind,
    ChapterReached,
    Passage,
    Reading,
    ReadingProgress,
    TextReplacement,
)
from .services import edit_passage, rename_chapter
from .uploads import run_import_flow


class ChapterForm(forms.ModelForm):
    """A chapter's title and kind; a form posted without the kind keeps the chapter's."""

    class Meta:
        model = Chapter
        fields = ["title", "kind"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = False

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or self.instance.kind or ChapterKind.MAIN


class ChapterInline(admin.TabularInline):
    model = Chapter
    form = ChapterForm
    fields = ["number", "title", "kind", "word_count"]
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
            path(
                "<int:object_id>/replace/",
                self.admin_site.admin_view(self.replace_view),
                name="readings_reading_replace",
            ),
            *super().get_urls(),
        ]

    def replace_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Replace the reading's text from a file: upload, preview every thread's fate,
        confirm (`readings.admin_replace`)."""
        reading = get_object_or_404(Reading, pk=object_id)
        if not self.has_change_permission(request, reading):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": reading,
            "has_view_permission": self.has_view_permission(request, reading),
        }
        return replace_view(request, reading, context)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        """Chapters renamed (or given another kind) in the list go through `rename_chapter`,
        which grows the reading's text version."""
        if formset.model is not Chapter:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)  # nothing is written: the changes are listed for the log
        for chapter, _fields in formset.changed_objects:
            rename_chapter(chapter, chapter.title, chapter.kind)

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
    form = ChapterForm
    list_display = ["__str__", "number", "kind", "word_count"]
    list_filter = ["kind"]
    list_select_related = ["reading"]
    search_fields = ["title", "reading__title"]
    fields = ["reading", "number", "title", "kind", "word_count"]
    readonly_fields = ["reading", "number", "word_count"]
    inlines = [PassageInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Chapter, form, change: bool) -> None:
        """Through `rename_chapter`, which grows the reading's text version."""
        if change and {"title", "kind"} & set(form.changed_data):
            rename_chapter(obj, form.cleaned_data["title"], form.cleaned_data["kind"])
        else:
            super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/text/",
                self.admin_site.admin_view(self.text_view),
                name="readings_chapter_text",
            ),
            *super().get_urls(),
        ]

    def text_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Edit the whole chapter as one text, saved as one change (`readings.chapter_text`):
        a sentence moved to the next paragraph takes its threads with it."""
        chapter = get_object_or_404(Chapter.objects.select_related("reading"), pk=object_id)
        if not self.has_change_permission(request, chapter):
            raise PermissionDenied
        form = ChapterTextForm(request.POST or None, initial={"text": chapter_text(chapter)})
        if request.method == "POST" and form.is_valid():
            try:
                result = edit_chapter_text(chapter, form.cleaned_data["text"])
            except ReadingImportError as error:
                form.add_error("text", str(error))
            else:
                threads = result.reports.get("threads", {})
                self.message_user(
                    request,
                    _saved_message(result.changed, threads),
                    level=messages.SUCCESS if result.changed else messages.INFO,
                )
                return redirect("admin:readings_chapter_change", chapter.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": chapter,
            "title": f"Edit the text of {chapter.display_title}",
            "form": form,
            "has_view_permission": self.has_view_permission(request, chapter),
        }
        return TemplateResponse(request, "admin/readings/chapter/edit_text.html", context)


class ChapterTextForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "class": "vLargeTextField"}),
        strip=False,
        help_text="Paragraphs are separated by blank lines. Emphasis and note links are kept "
        "wherever the words around them are unchanged.",
    )


def _saved_message(changed: bool, threads: dict) -> str:
    if not changed:
        return "The text is unchanged."
    counts = ", ".join(
        f"{threads.get(key, 0)} {label}"
        for key, label in (
            ("stays", "stayed"),
            ("moves", "moved"),
            ("drifted", "drifted"),
            ("orphaned", "orphaned"),
        )
    )
    return f"Saved the chapter's text. Threads: {counts}."


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


@admin.register(TextReplacement)
class TextReplacementAdmin(admin.ModelAdmin):
    """Each replacement of a reading's text: who, when, which file, what it changed; while a
    background replacement runs, its page follows the progress."""

    list_display = [
        "reading",
        "filename",
        "replaced_by",
        "created_at",
        "state",
        "passages_changed",
        "threads_orphaned",
    ]
    list_select_related = ["reading", "replaced_by"]
    list_filter = ["state"]
    search_fields = ["reading__title", "filename", "sha256"]
    date_hierarchy = "created_at"
    view_on_site = False
    change_form_template = "admin/readings/textreplacement/change_form.html"
    fieldsets = [
        (None, {"fields": ["reading", ("replaced_by", "created_at", "finished_at")]}),
        ("File", {"fields": [("filename", "format"), ("size", "sha256")]}),
        ("Progress", {"fields": [("state", "stage", "progress"), "error"]}),
        (
            "What changed",
            {
                "fields": [
                    ("old_version", "new_version"),
                    (
                        "chapters_added",
                        "chapters_removed",
                        "chapters_renamed",
                        "chapters_renumbered",
                    ),
                    ("passages_kept", "passages_changed", "passages_added", "passages_removed"),
                    ("threads_stay", "threads_moved", "threads_drifted", "threads_orphaned"),
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return [
            name
            for line in (fields for _, options in self.fieldsets for fields in options["fields"])
            for name in (line if isinstance(line, tuple) else (line,))
        ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ChapterReached)
class ChapterReachedAdmin(admin.ModelAdmin):
    list_display = ["user", "reading", "chapter", "reached_at"]
    list_select_related = ["user", "reading", "chapter"]
    raw_id_fields = ["user", "reading", "chapter"]
    search_fields = ["user__email", "reading__title"]
