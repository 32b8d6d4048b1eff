"""Chapters are named by their titles everywhere in the library's reader; front and back
matter are shown as such, and a place ("19 of 62") only for a chapter without a title."""

from __future__ import annotations

import pytest

from readings.models import Chapter, ChapterKind
from readings.services import reimport_reading, save_parsed_reading
from tests.readings.conftest import make_parsed, paragraphs

pytestmark = pytest.mark.django_db


@pytest.fixture
def novel():
    chapters = {"Preface": paragraphs(2, "Preface")}
    chapters |= {f"Chapter {n}": paragraphs(2, f"Text {n}") for n in ("I", "II", "XVIII")}
    chapters |= {"Notes": paragraphs(1, "Note")}
    parsed = make_parsed(chapters, title="A Novel")
    kinds = ["front", "main", "main", "main", "back"]
    for chapter, kind in zip(parsed.chapters, kinds, strict=True):
        chapter.kind = kind
    return save_parsed_reading(parsed)


def test_front_and_back_matter_are_saved_as_such(novel):
    kinds = list(Chapter.objects.of(novel).values_list("title", "kind"))
    assert kinds == [
        ("Preface", "front"),
        ("Chapter I", "main"),
        ("Chapter II", "main"),
        ("Chapter XVIII", "main"),
        ("Notes", "back"),
    ]
    assert list(Chapter.objects.of(novel).main_text().values_list("title", flat=True)) == [
        "Chapter I",
        "Chapter II",
        "Chapter XVIII",
    ]


def test_the_reader_names_a_chapter_by_its_title_not_its_place(client, novel):
    chapter = Chapter.objects.get(reading=novel, title="Chapter XVIII")
    html = client.get(chapter.get_absolute_url()).text
    assert '<p class="reader-bar__where">Chapter XVIII</p>' in html
    assert "4 of 5" not in html and "Chapter 4" not in html


def test_a_chapter_without_a_title_shows_its_place(client, novel):
    chapter = Chapter.objects.get(reading=novel, title="Chapter II")
    chapter.title = ""
    chapter.save(update_fields=["title"])
    html = client.get(chapter.get_absolute_url()).text
    assert '<p class="reader-bar__where">3 of 5</p>' in html
    assert chapter.display_title == "Chapter 3"


def test_the_contents_name_chapters_by_title_and_mark_front_and_back_matter(client, novel):
    html = client.get(novel.get_absolute_url()).text
    assert '<span class="toc__number"></span>' in html
    assert '<span class="toc__number">2.</span>' not in html
    assert "Front matter · " in html and "Back matter · " in html
    assert html.count("Front matter · ") == 1


def test_a_span_of_chapters_is_named_by_their_titles(novel):
    first, *_, last = Chapter.objects.of(novel).main_text()
    assert Chapter.span_title(first, last) == "Chapter I – Chapter XVIII"
    assert Chapter.span_title(first, first) == "Chapter I"
    assert Chapter.span_title(first) == "Chapter I"


def test_a_reimport_updates_the_kinds(novel):
    parsed = make_parsed({"Chapter I": paragraphs(2, "Text I"), "Index": ["Reading, 1."]})
    reimport_reading(novel, parsed)
    kinds = dict(Chapter.objects.of(novel).values_list("title", "kind"))
    assert kinds == {"Chapter I": ChapterKind.MAIN, "Index": ChapterKind.MAIN}
