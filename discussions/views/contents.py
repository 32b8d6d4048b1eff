"""A reading's contents in a circle's context: every chapter links into the circle's reader
(with its margins), not the library's bare text."""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from discussions import permissions
from discussions.models import Comment, CommentState
from discussions.views.circles import ViewerRequest
from readings.models import Chapter, ReadingProgress, reading_minutes


@require_GET
def circle_reading(request: ViewerRequest, slug: str, reading_slug: str) -> HttpResponse:
    circle = permissions.get_circle_for_viewer(request, slug)
    reading = circle.readings.filter(slug=reading_slug).first()
    if reading is None:
        raise Http404("This circle is not reading that.")
    chapters = list(Chapter.objects.of(reading))
    # How many comments each chapter's margins hold, as any reader of the circle sees them.
    counts = dict(
        Comment.objects.filter(circle=circle, reading=reading, is_private=False)
        .filter(state=CommentState.VISIBLE)
        .order_by()
        .values_list("chapter_id")
        .annotate(n=Count("pk"))
    )
    for chapter in chapters:
        chapter.reading = reading
        chapter.comment_count = counts.get(chapter.pk, 0)
    progress = ReadingProgress.objects.for_user(request.user).filter(reading=reading).first()
    words = sum(chapter.word_count for chapter in chapters)
    context = {
        "circle": circle,
        "reading": reading,
        "chapters": chapters,
        "total_words": words,
        "minutes": reading_minutes(words),
        "progress_chapter": next(
            (c for c in chapters if progress and c.pk == progress.chapter_id), None
        ),
    }
    return render(request, "discussions/circles/reading.html", context)
