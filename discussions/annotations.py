"""The margin as W3C Web Annotations (JSON-LD): one comment, a circle's whole margin as an
AnnotationCollection of AnnotationPages (for its organizers), and a person's own comments (in
"Download my data").

A thread's first comment is an annotation `commenting` on its passage (the target scoped to
the passage's text, `anchoring.to_web_annotation`); a reply is an annotation `replying` whose
target is the annotation it answers. The body is the comment as written (Markdown) and as
shown (sanitized HTML), two TextualBodies. A comment deleted by its author keeps its place
while replies hang below it: an annotation with no body, creator or time.

Who sees what follows the margin: others' private notes never; hidden comments only for the
circle's moderators (organizers are) and their author; deleted comments as placeholders only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from circles.models import Circle

from .anchoring import to_web_annotation
from .models import Comment, CommentState
from .models.comments import CommentQuerySet

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTAINER_CONTEXT = [CONTEXT, "http://www.w3.org/ns/ldp.jsonld"]
CONTENT_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
PAGE_SIZE = 100


@dataclass(frozen=True)
class Links:
    """Absolute addresses: `absolute(path)` (the request's, or SITE_URL's)."""

    absolute: Callable[[str], str] = lambda path: settings.SITE_URL + path

    def annotation(self, circle: Circle, pk: int) -> str:
        return self.absolute(reverse("discussions:comment-annotation", args=[circle.slug, pk]))

    def passage(self, circle: Circle, comment: Comment) -> str:
        path = reverse(
            "discussions:passage", args=[circle.slug, comment.reading.slug, comment.passage_key]
        )
        return self.absolute(path)

    def collection(self, circle: Circle) -> str:
        return self.absolute(reverse("discussions:annotation-collection", args=[circle.slug]))


def annotation(comment: Comment, links: Links, *, context: bool = True) -> dict:
    """One comment as an annotation (its `circle`, `reading` and, for a reply, `root` loaded
    or loadable)."""
    circle = comment.circle
    data: dict = {"@context": CONTEXT} if context else {}
    data |= {
        "id": links.annotation(circle, comment.pk),
        "type": "Annotation",
        "motivation": "commenting" if comment.is_root else "replying",
    }
    if comment.state != CommentState.DELETED:
        data["created"] = comment.created_at.isoformat()
        if comment.edited_at:
            data["modified"] = comment.edited_at.isoformat()
        data["creator"] = {"type": "Person", "name": comment.author_name}
        data["body"] = [
            {"type": "TextualBody", "format": "text/markdown", "value": comment.body},
            {"type": "TextualBody", "format": "text/html", "value": comment.body_html},
        ]
    if comment.is_root:
        data["target"] = to_web_annotation(comment, links.passage(circle, comment))
    else:
        data["target"] = links.annotation(circle, comment.parent_id)
    return data


def exported(comments: CommentQuerySet, user) -> CommentQuerySet:
    """The comments of `comments` that `user`'s export holds, oldest first: no one else's
    private notes, no deleted comment that nothing answers, hidden ones only to whoever may
    read them (the caller's moderators, and each comment's author)."""
    answered = Comment.objects.filter(parent=OuterRef("pk"))
    shown = comments.visible_to(user).filter(~Q(state=CommentState.DELETED) | Exists(answered))
    return shown.select_related("author", "reading").order_by("created_at", "pk")


def collection(circle: Circle, comments: CommentQuerySet, links: Links) -> dict:
    """The circle's margin as an AnnotationCollection: how many, and its first and last pages."""
    total = comments.count()
    pages = max(1, -(-total // PAGE_SIZE))
    base = links.collection(circle)
    return {
        "@context": CONTAINER_CONTEXT,
        "id": base,
        "type": "AnnotationCollection",
        "label": f"The margins of {circle.name}",
        "total": total,
        "first": f"{base}?page=1",
        "last": f"{base}?page={pages}",
    }


def page(circle: Circle, comments: CommentQuerySet, links: Links, number: int) -> dict | None:
    """Page `number` (from 1) of the collection, or None past its end."""
    total = comments.count()
    pages = max(1, -(-total // PAGE_SIZE))
    if not 1 <= number <= pages:
        return None
    base = links.collection(circle)
    start = (number - 1) * PAGE_SIZE
    items = list(comments[start : start + PAGE_SIZE])
    for comment in items:
        comment.circle = circle
    data: dict = {
        "@context": CONTAINER_CONTEXT,
        "id": f"{base}?page={number}",
        "type": "AnnotationPage",
        "partOf": {"id": base, "type": "AnnotationCollection", "total": total},
        "startIndex": start,
        "items": [annotation(comment, links, context=False) for comment in items],
    }
    if number < pages:
        data["next"] = f"{base}?page={number + 1}"
    if number > 1:
        data["prev"] = f"{base}?page={number - 1}"
    return data
