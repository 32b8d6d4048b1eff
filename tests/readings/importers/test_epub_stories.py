"""EPUB story collections: a story with numbered sub-sections is one chapter, titled by the
story; front and back matter are known from `epub:type`."""

from __future__ import annotations

from readings.importers import parse_reading

from .support import assert_invariant, make_epub, titles


def story(slug: str, title: str, parts: list[str], wrapper: str = "article") -> str:
    sections = "".join(
        f'<section id="{slug}-{n}" epub:type="chapter"><h3 epub:type="ordinal">{numeral}</h3>'
        f"<p>{text}</p></section>"
        for n, (numeral, text) in enumerate(zip(("I", "II", "III"), parts, strict=False), 1)
    )
    kind = 'epub:type="z3998:short-story"' if wrapper == "article" else 'epub:type="chapter"'
    return f'<{wrapper} id="{slug}" {kind}><h2 epub:type="title">{title}</h2>{sections}</{wrapper}>'


COLLECTION = make_epub(
    [
        ("preface.xhtml", '<body epub:type="frontmatter"><section epub:type="preface">'
         "<h2>Preface</h2><p>These stories were written by the sea.</p></section></body>"),
        ("lantern.xhtml", '<body epub:type="bodymatter">'
         + story("lantern", "The Lantern", ["It was lit at six.", "It went out at ten."])
         + "</body>"),
        ("storm.xhtml", '<body epub:type="bodymatter">'
         + story("storm", "The Storm", ["East wind.", "White water.", "Calm."], "section")
         + "</body>"),
        ("notes.xhtml", '<body epub:type="backmatter"><section epub:type="endnotes">'
         "<h2>Endnotes</h2><p>Written in 1899.</p></section></body>"),
    ],
    title="Harbour Stories",
)  # fmt: skip


def test_each_story_is_one_chapter_titled_by_the_story():
    reading = parse_reading(COLLECTION, "stories.epub")
    assert titles(reading) == ["Preface", "The Lantern", "The Storm", "Endnotes"]
    assert_invariant(reading)


def test_the_sub_sections_stay_in_their_story_as_headings():
    reading = parse_reading(COLLECTION, "stories.epub")
    storm = reading.chapters[2]
    assert [(p.kind, p.text) for p in storm.passages] == [
        ("heading", "I"),
        ("paragraph", "East wind."),
        ("heading", "II"),
        ("paragraph", "White water."),
        ("heading", "III"),
        ("paragraph", "Calm."),
    ]


def test_front_and_back_matter_come_from_epub_type():
    reading = parse_reading(COLLECTION, "stories.epub")
    assert [c.kind for c in reading.chapters] == ["front", "main", "main", "back"]


def test_several_stories_in_one_document_are_several_chapters():
    body = (
        "<body>"
        + story("a", "The First", ["One.", "Two."])
        + story("b", "The Second", ["Three.", "Four."])
        + "</body>"
    )
    reading = parse_reading(make_epub([("all.xhtml", body)]), "two.epub")
    assert titles(reading) == ["The First", "The Second"]


def test_chapters_inside_a_part_stay_chapters():
    body = (
        '<body><section epub:type="part"><h2>Part I</h2>'
        '<section epub:type="chapter"><h3>Chapter 1</h3><p>One.</p></section>'
        '<section epub:type="chapter"><h3>Chapter 2</h3><p>Two.</p></section>'
        "</section></body>"
    )
    reading = parse_reading(make_epub([("part.xhtml", body)]), "novel.epub")
    assert titles(reading) == ["Chapter 1", "Chapter 2"]


def test_a_document_of_chapters_without_a_story_title_keeps_them_as_chapters():
    body = (
        '<body><section epub:type="chapter"><h2>One</h2><p>First.</p></section>'
        '<section epub:type="chapter"><h2>Two</h2><p>Second.</p></section></body>'
    )
    assert titles(parse_reading(make_epub([("c.xhtml", body)]), "c.epub")) == ["One", "Two"]
