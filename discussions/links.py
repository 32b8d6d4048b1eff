"""Addresses in the circle reader, made once per page rather than once per link (a chapter or
a thread panel may hold hundreds of links)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from circles.models import Circle
from readings.models import Chapter, Reading


def chapter_url_for(circle: Circle) -> Callable[[Chapter], str]:
    """`chapter → its page in the circle's reader` (the chapter's reading must be loaded)."""

    def url(chapter: Chapter) -> str:
        return reverse(
            "discussions:circle-chapter", args=[circle.slug, chapter.reading.slug, chapter.number]
        )

    return url


def passage_base_url(circle: Circle, reading: Reading) -> str:
    """`/circles/<slug>/read/<reading>/p/`: a passage's page is this plus `<key>/` (the
    passage URLs nest under the reading's contents in the circle, see `discussions.urls`)."""
    return reverse("discussions:circle-reading", args=[circle.slug, reading.slug]) + "p/"


def url_maker(name: str, slug: str, sample_pk: int) -> Callable[[int], str]:
    """`pk → reverse(name, args=[slug, pk])`, reversed once with a real pk (`sample_pk`) and
    its path segment replaced for each other pk."""
    before, after = reverse(name, args=[slug, sample_pk]).rsplit(f"/{sample_pk}/", 1)
    return lambda pk: f"{before}/{pk}/{after}"
