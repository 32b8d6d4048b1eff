"""A reader's horizon in a circle: the chapters whose discussion they can meet without
spoilers, and the folding of what lies beyond it.

A member's horizon in a circle is, for each of the circle's readings:
- its first chapter (where everyone who has not started is: the chapter they are about to
  read, whose margin, like that of any chapter one is reading, is never folded),
- every chapter its sessions have covered once held (a session is held once its end has
  passed and it was not cancelled),
- every chapter the member has read in (`readings.ChapterReached`: progress saved there as
  they scrolled, which records that chapter alone — skipping ahead to peek at chapter 9
  never counts the chapters between), and
- what they wrote themselves.

Discussion beyond it is folded ("3 threads on chapters you haven't read — show anyway")
wherever it would come to the reader uninvited: a circle's recent discussion, a session's
page, notifications and their emails, the margin of a passage or thread page of a later
chapter, search results. The chapter page a reader opens is never folded: opening it is
reading it. A circle folds by default (`Circle.fold_spoilers`); each person may choose
otherwise for all their circles (`User.spoilers`). Anyone may unfold a page for one visit
with `?spoilers=show` (`SHOW_PARAM`), which the "show anyway" links add.

The API, for any feature that shows comments:

    horizon = horizon_for(user, circle)            # one query; `request_horizon` per request
    horizon.shows(comment)                         # a predicate for one comment
    horizon.includes(chapter_id)
    Comment.objects.within_horizon(horizon)        # a queryset filter (and beyond_horizon)
    horizons = horizons_for(user, circles)         # {circle id: Horizon}, one query for all
    Comment.objects.within_horizon(horizons)       # across circles (others' comments out)
    Comment.objects.with_horizon(horizons)         # annotates `within_horizon` (True/False)
    Notification.objects.filter(horizon_q(horizons, prefix="comment__"))

A comment with no chapter (its chapter left the reading) lies beyond every folding horizon.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.http import HttpRequest
from django.utils import timezone

from accounts.http import request_cache
from circles.models import Circle, Meeting, MeetingStatus
from readings.models import ChapterReached

SHOW_PARAM = "spoilers"
SHOW_VALUE = "show"


@dataclass(frozen=True)
class Horizon:
    """One reader's horizon in one circle. `folds` False: nothing is folded (their choice,
    the circle's, or "show anyway"); else `chapter_ids` are the chapters within it, and
    `user_id`'s own comments are within it too."""

    circle_id: int
    folds: bool
    chapter_ids: frozenset[int] = frozenset()
    user_id: int | None = None

    @classmethod
    def unfolded(cls, circle_id: int) -> Horizon:
        return cls(circle_id, folds=False)

    def includes(self, chapter_id: int | None) -> bool:
        """Whether discussion of this chapter is shown."""
        return not self.folds or (chapter_id is not None and chapter_id in self.chapter_ids)

    def shows(self, comment) -> bool:
        """Whether `comment` (of this horizon's circle) is shown, not folded."""
        if not self.folds:
            return True
        if self.user_id is not None and comment.author_id == self.user_id:
            return True
        return comment.chapter_id in self.chapter_ids

    def q(self, prefix: str = "") -> Q:
        """The comments within this horizon, as a filter on comments (`prefix` reaches them
        through a relation: "comment__"). Empty (everything) when nothing is folded."""
        if not self.folds:
            return Q()
        within = Q(**{f"{prefix}chapter_id__in": sorted(self.chapter_ids)})
        if self.user_id is not None:
            within |= Q(**{f"{prefix}author_id": self.user_id})
        return within


Horizons = Horizon | Mapping[int, Horizon]


def horizon_q(horizons: Horizons, prefix: str = "") -> Q:
    """Comments within one horizon, or within their own circle's of several (a comment of a
    circle missing from the mapping is not within any)."""
    if isinstance(horizons, Horizon):
        return horizons.q(prefix)
    if all(not h.folds for h in horizons.values()) and horizons:
        return Q(**{f"{prefix}circle_id__in": sorted(horizons)})
    within = Q(pk__in=[])
    for circle_id, horizon in sorted(horizons.items()):
        within |= Q(**{f"{prefix}circle_id": circle_id}) & horizon.q(prefix)
    return within


def folds_for(user, circle: Circle) -> bool:
    """Whether `user` (maybe anonymous) has discussion beyond their reading folded in `circle`."""
    if user.is_authenticated:
        return user.folds_spoilers(circle.fold_spoilers)
    return circle.fold_spoilers


def horizons_for(
    user, circles: Iterable[Circle], *, now: datetime | None = None
) -> dict[int, Horizon]:
    """`user`'s horizon in each of `circles`: one query for all of them (none if nothing is
    folded)."""
    circles = list(circles)
    folding = {circle.pk: folds_for(user, circle) for circle in circles}
    user_id = user.pk if user.is_authenticated else None
    chapters = _chapters_within(user, [pk for pk, folds in folding.items() if folds], now)
    return {
        pk: Horizon(pk, folds, frozenset(chapters.get(pk, ())), user_id)
        for pk, folds in folding.items()
    }


def horizon_for(user, circle: Circle, *, now: datetime | None = None) -> Horizon:
    """`user`'s horizon in `circle` (one query, none if nothing is folded)."""
    return horizons_for(user, [circle], now=now)[circle.pk]


def _chapters_within(user, circle_ids: list[int], now: datetime | None) -> dict[int, set[int]]:
    """{circle id: ids of the chapters of its readings within `user`'s horizon}: one query."""
    if not circle_ids:
        return {}
    held = (
        Meeting.objects.filter(
            circle_id=OuterRef("circle_id"),
            reading_id=OuterRef("reading_id"),
            status=MeetingStatus.SCHEDULED,
            ends_at__lte=now or timezone.now(),
        )
        .order_by()
        .values("reading_id")
        .annotate(through=Max("last_chapter__number"))
        .values("through")
    )
    within = Q(reading__chapters__number=1) | Q(reading__chapters__number__lte=Subquery(held))
    if user.is_authenticated:
        reached = ChapterReached.objects.filter(
            user=user, chapter_id=OuterRef("reading__chapters__id")
        )
        within |= Q(Exists(reached))
    rows = (
        Circle.readings.through.objects.filter(circle_id__in=circle_ids)
        .filter(within)
        .values_list("circle_id", "reading__chapters__id")
    )
    chapters: dict[int, set[int]] = {pk: set() for pk in circle_ids}
    for circle_id, chapter_id in rows:
        chapters[circle_id].add(chapter_id)
    return chapters


# --- on a page ------------------------------------------------------------------------------


def asked_to_show(request: HttpRequest | None) -> bool:
    """Whether this request asks to show what is folded ("show anyway": `?spoilers=show`)."""
    return request is not None and request.GET.get(SHOW_PARAM) == SHOW_VALUE


def request_horizon(request: HttpRequest | None, circle: Circle) -> Horizon:
    """The viewer's horizon in `circle` for this request: unfolded when they asked to show
    everything; looked up once per request."""
    if asked_to_show(request):
        return Horizon.unfolded(circle.pk)
    user = request.user if request is not None else None
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    cache = request_cache("horizons")
    key = (user.pk, circle.pk)
    if cache is not None and key in cache:
        return cache[key]
    horizon = horizon_for(user, circle)
    if cache is not None:
        cache[key] = horizon
    return horizon


def would_fold(request: HttpRequest | None, circle: Circle) -> bool:
    """Whether the viewer's choices fold discussion in `circle` (whatever this request asked:
    a page shown anyway offers to fold it again)."""
    if request is None:
        return False
    return folds_for(request.user, circle)


def url_with(request: HttpRequest, *, show: bool, fragment: str = "") -> str:
    """This page's address with "show anyway" on or off (its other parameters kept)."""
    query = request.GET.copy()
    if show:
        query[SHOW_PARAM] = SHOW_VALUE
    else:
        query.pop(SHOW_PARAM, None)
    encoded = query.urlencode()
    url = request.path + (f"?{encoded}" if encoded else "")
    return url + (f"#{fragment}" if fragment else "")


def margin_folded(request: HttpRequest, circle: Circle, chapter, chapter_url: str) -> bool:
    """Whether the margin of a passage or thread on `chapter` (a Chapter, or None) is folded
    for this request: its chapter lies beyond the viewer's horizon, and the request does not
    come from that chapter's own page (whose margin, the chapter one is reading, is never
    folded: its panels load with htmx from it). A first chapter costs no query."""
    htmx = getattr(request, "htmx", None)
    current = (htmx.current_url_abs_path or "") if htmx else ""
    if chapter_url and current.split("?")[0].split("#")[0] == chapter_url:
        return False
    if chapter is not None and chapter.number == 1:
        return False
    return not request_horizon(request, circle).includes(chapter.pk if chapter else None)
