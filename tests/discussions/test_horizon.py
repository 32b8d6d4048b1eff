"""A reader's horizon in a circle (`discussions.horizon`): which chapters' discussion they
meet unfolded, through its predicate, its queryset filter and its annotation alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import Spoilers
from discussions.horizon import (
    Horizon,
    horizon_for,
    horizon_q,
    horizons_for,
    request_horizon,
    url_with,
)
from discussions.models import Comment
from readings.models import ChapterReached, Passage, ReadingProgress
from tests.factories import make_circle, make_meeting, make_reading, make_user

pytestmark = pytest.mark.django_db

HELD = {"starts_at": timezone.now() - timedelta(days=2)}


def first_passage(margin, number: int) -> Passage:
    return Passage.objects.in_chapter(margin.reading.chapters.get(number=number)).first()


@pytest.fixture
def threads(margin, organizer) -> dict[int, Comment]:
    """A thread by the organizer on each of the margin's three chapters."""
    return {
        n: margin.comment(organizer, f"On chapter {n}.", passage=first_passage(margin, n))
        for n in (1, 2, 3)
    }


def within(margin, user) -> set[int | None]:
    """The chapter numbers (None: no chapter) of the circle's comments within `user`'s
    horizon, asked three ways that must agree: the predicate, the filter, the annotation;
    and `beyond_horizon` must be the rest."""
    horizon = horizon_for(user, margin.circle)
    comments = Comment.objects.in_circle(margin.circle).select_related("chapter")

    def numbers(found) -> set[int | None]:
        return {c.chapter.number if c.chapter else None for c in found}

    by_predicate = numbers(c for c in comments if horizon.shows(c))
    by_filter = numbers(comments.within_horizon(horizon))
    by_annotation = numbers(c for c in comments.with_horizon(horizon) if c.within_horizon)
    assert by_predicate == by_filter == by_annotation
    assert numbers(comments.beyond_horizon(horizon)) == numbers(comments) - by_filter
    return by_filter


def test_someone_who_has_not_started_sees_only_the_first_chapters_discussion(
    margin, member, threads
):
    assert within(margin, member) == {1}
    assert within(margin, AnonymousUser()) == {1}


def test_held_sessions_bring_their_chapters_within(margin, member, threads):
    make_meeting(margin.circle, margin.reading, first=2, last=2, **HELD)
    assert within(margin, member) == {1, 2}


def test_sessions_to_come_and_cancelled_ones_do_not(margin, member, threads):
    make_meeting(margin.circle, margin.reading, first=2, last=3)  # next week
    make_meeting(margin.circle, margin.reading, first=3, last=3, status="cancelled", **HELD)
    assert within(margin, member) == {1}


def test_a_session_still_running_is_not_held_yet(margin, member, threads):
    make_meeting(
        margin.circle,
        margin.reading,
        first=2,
        last=2,
        starts_at=timezone.now() - timedelta(minutes=30),
        duration_minutes=90,
    )
    assert within(margin, member) == {1}


def test_a_later_session_held_covers_every_chapter_up_to_its_last(margin, member, threads):
    make_meeting(margin.circle, margin.reading, first=3, last=3, **HELD)
    assert within(margin, member) == {1, 2, 3}


def test_chapters_the_reader_reached_come_within_and_skipped_ones_do_not(margin, member, threads):
    ReadingProgress.advance(member, margin.reading.chapters.get(number=3))
    assert within(margin, member) == {1, 3}
    ReadingProgress.advance(member, margin.reading.chapters.get(number=2))
    assert within(margin, member) == {1, 2, 3}


def test_what_the_reader_wrote_is_within_wherever_it_is(margin, member, threads):
    mine = margin.comment(member, "Mine.", passage=first_passage(margin, 3))
    horizon = horizon_for(member, margin.circle)
    assert horizon.shows(mine)
    assert mine in Comment.objects.within_horizon(horizon)
    assert not horizon.shows(threads[3])


def test_another_circles_sessions_do_not_count(margin, member, organizer, threads):
    other = make_circle(organizer, name="Elsewhere", readings=[margin.reading])
    make_meeting(other, margin.reading, first=3, last=3, **HELD)
    assert within(margin, member) == {1}


@pytest.mark.parametrize(
    ("circle_folds", "choice", "folds"),
    [
        (True, Spoilers.CIRCLE, True),
        (False, Spoilers.CIRCLE, False),
        (True, Spoilers.SHOW, False),
        (False, Spoilers.FOLD, True),
        (True, Spoilers.FOLD, True),
        (False, Spoilers.SHOW, False),
    ],
)
def test_the_circle_sets_the_default_and_each_person_may_choose_otherwise(
    margin, member, threads, circle_folds, choice, folds
):
    margin.circle.fold_spoilers = circle_folds
    margin.circle.save()
    member.spoilers = choice
    member.save()
    assert horizon_for(member, margin.circle).folds is folds
    assert within(margin, member) == ({1} if folds else {1, 2, 3})


def test_a_horizon_that_folds_nothing_costs_no_query(margin, member, django_assert_num_queries):
    member.spoilers = Spoilers.SHOW
    with django_assert_num_queries(0):
        horizon = horizon_for(member, margin.circle)
    assert horizon.q() == horizon_q(horizon) and not horizon.q()


def test_horizons_of_many_circles_come_in_one_query(
    margin, member, organizer, django_assert_num_queries
):
    other_reading = make_reading("Other", chapters=4)
    circles = [margin.circle]
    for n in range(4):
        circle = make_circle(organizer, name=f"Circle {n}", readings=[other_reading])
        circle.add_member(member)
        make_meeting(circle, other_reading, first=1, last=n + 1, **HELD)
        circles.append(circle)
    ReadingProgress.advance(member, margin.reading.chapters.get(number=3))
    with django_assert_num_queries(1):
        horizons = horizons_for(member, circles)
    numbers = {pk: {c.number for c in _chapters(h)} for pk, h in horizons.items()}
    assert numbers[margin.circle.pk] == {1, 3}
    assert [numbers[c.pk] for c in circles[1:]] == [{1}, {1, 2}, {1, 2, 3}, {1, 2, 3, 4}]


def _chapters(horizon: Horizon):
    from readings.models import Chapter

    return Chapter.objects.filter(pk__in=horizon.chapter_ids)


def test_comments_of_several_circles_are_filtered_each_by_its_own_horizon(
    margin, member, organizer, threads
):
    other = make_circle(organizer, name="Elsewhere", readings=[margin.reading])
    other.add_member(member)
    make_meeting(other, margin.reading, first=3, last=3, **HELD)
    there = Comment.objects.create(
        circle=other,
        author=organizer,
        reading=margin.reading,
        chapter=threads[3].chapter,
        passage=threads[3].passage,
        passage_key=threads[3].passage_key,
        body="Elsewhere, on chapter 3.",
        body_html="<p>Elsewhere, on chapter 3.</p>",
    )
    horizons = horizons_for(member, [margin.circle, other])
    shown = set(Comment.objects.within_horizon(horizons))
    assert shown == {threads[1], there}
    annotated = {c: c.within_horizon for c in Comment.objects.with_horizon(horizons)}
    assert annotated == {threads[1]: True, threads[2]: False, threads[3]: False, there: True}
    # A circle left out of the mapping shows nothing.
    assert set(Comment.objects.within_horizon({other.pk: horizons[other.pk]})) == {there}


def test_a_comment_whose_chapter_is_gone_is_folded(margin, member, threads):
    Comment.objects.filter(pk=threads[1].pk).update(chapter=None)
    threads[1].refresh_from_db()
    assert not horizon_for(member, margin.circle).shows(threads[1])
    assert within(margin, member) == set()  # and `within` checks it is beyond


def test_show_anyway_unfolds_the_page_for_this_request_only(margin, member, threads):
    factory = RequestFactory()
    asked = factory.get("/somewhere/", {"spoilers": "show", "page": "2"})
    asked.user = member
    assert request_horizon(asked, margin.circle).folds is False
    plain = factory.get("/somewhere/", {"page": "2"})
    plain.user = member
    assert request_horizon(plain, margin.circle).folds is True
    assert url_with(plain, show=True) == "/somewhere/?page=2&spoilers=show"
    assert url_with(asked, show=False) == "/somewhere/?page=2"


def test_reaching_a_chapter_is_recorded_once(margin, member):
    chapter = margin.reading.chapters.get(number=2)
    ReadingProgress.advance(member, chapter)
    ReadingProgress.advance(member, chapter, first_passage(margin, 2))
    assert ChapterReached.objects.filter(user=member).count() == 1


def test_another_persons_reading_does_not_move_my_horizon(margin, member, threads):
    other = make_user()
    margin.circle.add_member(other)
    ReadingProgress.advance(other, margin.reading.chapters.get(number=3))
    assert within(margin, member) == {1}
