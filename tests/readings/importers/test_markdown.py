"""The Markdown importer."""

from __future__ import annotations

from readings.importers import parse_reading

from .support import FIXTURES, assert_invariant, titles


def _md(source: str):
    return parse_reading(source.encode("utf-8"), "doc.md")


def test_front_matter_headings_quotes_lists_and_footnotes():
    reading = parse_reading((FIXTURES / "essay.md").read_bytes(), "essay.md")
    assert reading.title == "An Essay: On Things"
    assert reading.author == "Ann Writer, Bo Writer"
    assert titles(reading) == ["Introduction", "The First Part", "Setext Part"]
    part = reading.chapters[1].passages
    assert [p.kind for p in part] == [
        "paragraph",
        "quote",
        "list_item",
        "list_item",
        "heading",
        "note",
    ]
    assert part[0].html.startswith(
        'Some <em>emphasis</em>, <strong>strength</strong>, a <a href="https://example.org">link</a>'
    )
    assert "and *escaped* stars." in part[0].text
    assert part[1].text == "A quoted line that continues."
    assert part[5].text == "1. A short note."
    last = reading.chapters[2].passages
    assert last[-1].text == "long. A long note with an indented continuation."
    assert "<code>code</code>" in last[0].html
    assert [p.text for p in last if "|" in p.text] == ["Name | Value", "a | 1"]
    assert_invariant(reading)


def test_a_lone_top_heading_is_the_title_and_the_next_level_makes_chapters():
    reading = _md("# The Book\n\n## One\n\nText one.\n\n### Sub\n\nMore.\n\n## Two\n\nText two.\n")
    assert reading.title == "The Book"
    assert titles(reading) == ["One", "Two"]
    assert [p.kind for p in reading.chapters[0].passages] == ["paragraph", "heading", "paragraph"]


def test_a_lower_heading_before_the_first_chapter_titles_the_front_matter():
    reading = _md("### Preface\n\nWords.\n\nChapter 1\n---------\n\nText.\n\n### I\n\nMore.\n")
    assert titles(reading) == ["Preface", "Chapter 1"]
    assert reading.chapters[1].passages[1].text == "I"


def test_markdown_without_headings_is_one_chapter():
    reading = _md("Just *one* paragraph.\n")
    assert titles(reading) == ["doc"]
    assert reading.chapters[0].passages[0].html == "Just <em>one</em> paragraph."


def test_raw_html_and_images_do_not_leak_into_passages():
    reading = _md(
        "# T\n\n## A\n\nHi <span onclick='x()'>there</span> ![alt](x.png)\n\n<div>block</div>\n"
    )
    passage = reading.chapters[0].passages[0]
    assert "onclick" not in passage.html
    assert passage.text == "Hi there"


def test_unsafe_link_targets_are_dropped_but_their_text_kept():
    reading = _md("[click](javascript:alert(1)) and [ok](/local)\n")
    passage = reading.chapters[0].passages[0]
    assert passage.text.endswith("and ok")
    assert 'href="javascript' not in passage.html
    assert '<a href="/local">ok</a>' in passage.html


def test_a_footnote_referenced_from_a_chapter_heading_keeps_its_link():
    reading = _md("# Book\n\n## One[^1]\n\nText here.\n\n## Two\n\nMore.\n\n[^1]: The note.\n")
    assert titles(reading) == ["One", "Two"]
    heading = reading.chapters[0].passages[0]
    assert (heading.kind, heading.text) == ("heading", "One1")
    assert 'id="noteref-1"' in heading.html
    assert [p.kind for p in reading.chapters[1].passages] == ["paragraph"]
    assert_invariant(reading)


def test_a_byline_under_the_title_gives_the_author():
    reading = _md("# The Essay\n\n*by Jane Q. Writer*\n\n## One\n\nText.\n\n## Two\n\nMore.\n")
    assert (reading.title, reading.author) == ("The Essay", "Jane Q. Writer")
    assert "Writer" not in " ".join(p.text for c in reading.chapters for p in c.passages)
