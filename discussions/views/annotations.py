"""The margin as W3C Web Annotations (`discussions.annotations`): one comment's annotation,
a circle's whole margin as a paged AnnotationCollection for its organizers, and the way back
in: a file of annotations imported onto a reading (`discussions.annotation_import`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthedRequest, ViewerRequest
from circles.permissions import get_circle_for_organizer
from discussions import annotation_import, annotations, permissions, review
from discussions.forms import AnnotationConfirmForm, AnnotationImportForm
from discussions.models import AnchorStatus, Comment
from readings.uploads import Upload, discard_upload, load_upload, stash_upload


def _json_ld(data: dict) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = annotations.CONTENT_TYPE
    return response


@require_GET
def comment_annotation(request: ViewerRequest, slug: str, pk: int) -> JsonResponse:
    """A comment as a W3C Web Annotation (JSON-LD): a thread's first comment `commenting` on
    its passage, a reply `replying` to the comment it answers.

    Served only to those who see both that comment and the thread's first comment in the
    margin (`review.shown_in_margin`): a hidden one to its author and the moderators, a
    deleted one while it keeps a place in the thread; others get 404. A deleted comment
    gives only the place it was about (no creator, time or body), as its placeholder does.
    """
    comment = permissions.get_comment_for_viewer(request, slug, pk)
    circle = comment.circle
    root = comment if comment.is_root else comment.root
    root.circle = circle
    if not all(review.shown_in_margin(request.user, c) for c in {comment, root}):
        raise Http404("No comment here.")
    return _json_ld(annotations.annotation(comment, annotations.Links(request.build_absolute_uri)))


@login_required
@require_GET
def annotation_collection(request: AuthedRequest, slug: str) -> JsonResponse:
    """The circle's margin for its organizers: the collection, or `?page=N` of it."""
    circle = get_circle_for_organizer(request, slug)
    links = annotations.Links(request.build_absolute_uri)
    comments = annotations.exported(Comment.objects.in_circle(circle), request.user)
    number = request.GET.get("page")
    if number is None:
        return _json_ld(annotations.collection(circle, comments, links))
    page = annotations.page(circle, comments, links, int(number) if number.isdigit() else 0)
    if page is None:
        raise Http404("No such page of this circle's annotations.")
    return _json_ld(page)


IMPORTS = "discussions.annotation_imports"  # where pending files wait in the session
LISTED = 300  # threads listed by name in a preview


@login_required
@require_http_methods(["GET", "POST"])
def import_annotations(request: AuthedRequest, slug: str) -> HttpResponse:
    """Upload a file of annotations onto one of the circle's readings (organizers): a preview
    of where each thread goes, then nothing is saved until it is confirmed."""
    circle = get_circle_for_organizer(request, slug)
    if request.method == "POST" and "token" in request.POST:
        return _confirm_import(request, circle)
    form = AnnotationImportForm(request.POST or None, request.FILES or None, circle=circle)
    if request.method == "POST" and form.is_valid():
        uploaded, reading = form.cleaned_data["file"], form.cleaned_data["reading"]
        try:
            data = uploaded.read(annotation_import.MAX_BYTES + 1)
            the_plan = annotation_import.plan(reading, annotation_import.parse(data))
        except annotation_import.ImportRefused as error:
            form.add_error("file", str(error))
        else:
            token = stash_upload(request.session, Upload(data, uploaded.name or "", ""), IMPORTS)
            return _preview(request, circle, the_plan, token)
    context = {"circle": circle, "form": form}
    status = 422 if form.errors else 200
    return render(request, "discussions/annotations/import.html", context, status=status)


def _preview(request: AuthedRequest, circle, the_plan, token: str) -> HttpResponse:
    members = annotation_import.members_by_name(circle)
    authors = sorted(
        {p.incoming.author for p in the_plan.threads}
        | {r.author for p in the_plan.threads for r in p.replies}
    )
    context = {
        "circle": circle,
        "plan": the_plan,
        "listed": the_plan.threads[:LISTED],
        "more": max(0, len(the_plan.threads) - LISTED),
        "anchored": the_plan.count(AnchorStatus.ANCHORED),
        "drifted": the_plan.count(AnchorStatus.DRIFTED),
        "orphaned": the_plan.count(AnchorStatus.ORPHANED),
        "already": annotation_import.already_imported(circle, the_plan),
        "authors": [(name, members.get(name.casefold())) for name in authors],
        "confirm_form": AnnotationConfirmForm(
            initial={"token": token, "reading": the_plan.reading.pk}
        ),
    }
    return render(request, "discussions/annotations/import_preview.html", context)


def _confirm_import(request: AuthedRequest, circle) -> HttpResponse:
    form = AnnotationConfirmForm(request.POST)
    upload = load_upload(request.session, request.POST["token"], IMPORTS)
    if not form.is_valid() or upload is None:
        context = {
            "circle": circle,
            "form": AnnotationImportForm(circle=circle),
            "error": "This upload has expired or was already imported. Please upload the "
            "file again.",
        }
        return render(request, "discussions/annotations/import.html", context, status=422)
    reading = circle.readings.filter(pk=form.cleaned_data["reading"]).first()
    if reading is None:
        raise Http404("This circle is not reading that.")
    # Planned again: the text or the margin may have changed since the preview.
    the_plan = annotation_import.plan(reading, annotation_import.parse(upload.data))
    added = annotation_import.save(circle, the_plan)
    discard_upload(request.session, form.cleaned_data["token"], IMPORTS)
    messages.success(
        request,
        f"Imported {added} comment{pluralize(added)} onto {reading.title}."
        if added
        else "Nothing new to import: every annotation in this file is already here.",
    )
    orphaned = the_plan.count(AnchorStatus.ORPHANED)
    if added and orphaned:
        return redirect("discussions:reading-orphans", circle.slug, reading.slug)
    return redirect("discussions:circle-reading", circle.slug, reading.slug)
