"""A slice of the re-anchoring corpus through the database: the real `reimport_reading` and
its receivers, on SQLite and PostgreSQL, land every thread where the plain run does."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.utils.html import escape

from discussions.models import AnchorStatus, Comment
from discussions.selectors import make_selector
from readings.importers.base import ParsedChapter, ParsedPassage, ParsedReading
from readings.models import Chapter, Passage
from readings.services import reimport_reading, save_parsed_reading
from tests.factories import make_circle

from .corpus_run import run
from .reanchoring_corpus import TEXTS, judge, make_case

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not TEXTS.is_dir(), reason=f"the real books are not here ({TEXTS} is missing)"
    ),
]


def parsed(chapters) -> ParsedReading:
    return ParsedReading(
        title="The Manifesto",
        chapters=[
            ParsedChapter(
                title=title,
                passages=[ParsedPassage(kind, text, str(escape(text))) for kind, text in texts],
            )
            for title, texts in chapters
        ],
        format="text",
    )


@pytest.fixture
def case():
    # Every global edit, so the chapters renumber behind new front matter.
    return make_case("manifesto", 11, 150, every_global_edit=True)


def test_threads_land_where_the_plain_run_puts_them_and_never_on_other_words(organizer, case):
    reading = save_parsed_reading(parsed(case.old))
    circle = make_circle(organizer, readings=[reading])
    old_passages = list(Passage.objects.in_reading(reading).select_related("chapter"))
    old_chapters = {c.pk: (c.number, c.title) for c in Chapter.objects.of(reading)}
    comments = []
    for thread in case.threads:
        passage = old_passages[thread.passage]
        selector = make_selector(passage.text, thread.start, thread.end)
        comments.append(
            Comment(
                circle=circle,
                author=organizer,
                reading=reading,
                chapter=passage.chapter,
                passage=passage,
                passage_key=passage.key,
                body="A thought.",
                body_html="<p>A thought.</p>",
                anchor_start=selector.start,
                anchor_end=selector.end,
                anchor_exact=selector.exact,
                anchor_original_exact=selector.exact,
                anchor_prefix=selector.prefix,
                anchor_suffix=selector.suffix,
            )
        )
    comments = Comment.objects.bulk_create(comments)

    reimport_reading(reading, parsed(case.new))

    new_index = {
        pk: j
        for j, pk in enumerate(Passage.objects.in_reading(reading).values_list("pk", flat=True))
    }
    expected = run(case)
    verdicts = []
    for comment, outcome, truth in zip(comments, expected, case.truths, strict=True):
        comment.refresh_from_db()
        where = new_index.get(comment.passage_id)
        assert (comment.anchor_status, where, comment.anchor_start, comment.anchor_end) == (
            outcome.placement.status,
            outcome.placement.key,
            outcome.placement.start,
            outcome.placement.end,
        )
        verdicts.append(
            judge(truth, comment.anchor_status, where, comment.anchor_start, comment.anchor_end)
        )
    assert "wrong" not in verdicts
    assert verdicts.count("orphaned as it should") == sum(t.status == "gone" for t in case.truths)
    assert Comment.objects.filter(anchor_status=AnchorStatus.ORPHANED).count() == verdicts.count(
        "orphaned"
    ) + verdicts.count("orphaned as it should")
    # The chapters kept their rows behind the new front matter, renumbered.
    after = {c.pk: (c.number, c.title) for c in Chapter.objects.of(reading)}
    assert {pk: after[pk] for pk in old_chapters} == {
        pk: (number + 1, title) for pk, (number, title) in old_chapters.items()
    }
    # Every comment on a passage is in its passage's chapter.
    for comment in Comment.objects.filter(passage__isnull=False).select_related("passage"):
        assert comment.chapter_id == comment.passage.chapter_id
    assert [e for e in run_checks(databases=["default"]) if e.id == "discussions.E001"] == []
