"""The margin as W3C Web Annotations (`discussions.annotations`): one comment's annotation,
and a circle's whole margin as a paged AnnotationCollection for its organizers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from accounts.http import AuthedRequest, ViewerRequest
from circles.permissions import get_circle_for_organizer
from discussions import annotations, permissions, review
from discussions.models import Comment


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
