"""Saved web articles: the article alone, with its title, author and date from the page's
metadata; no navigation, sidebar, share buttons, author box or comments; listings whole."""

from __future__ import annotations

import pytest

from readings.importers import ReadingImportError, detect_format, parse_reading

from .support import FIXTURES, assert_invariant, titles

PAGE = (FIXTURES / "saved_article.html").read_bytes()


def everything(reading) -> str:
    return " ".join(p.text for c in reading.chapters for p in c.passages)


def test_a_saved_article_is_recognised_as_one():
    assert detect_format(PAGE, "post.html") == "article"
    assert detect_format(PAGE, "") == "article"
    assert detect_format((FIXTURES / "page.html").read_bytes(), "page.html") == "html"
    assert detect_format((FIXTURES / "gutenberg_images.html").read_bytes(), "b.html") == "html"


def test_title_author_and_date_come_from_the_metadata():
    reading = parse_reading(PAGE, "post.html")
    assert reading.title == "Keeping a Harbour Light in Code"
    assert reading.author == "Ruth Calder"
    assert reading.source_note == "The Lamplighter's Blog, 2024-02-11"
    assert reading.format == "article"
    assert reading.language == "en-GB"


def test_the_articles_sections_are_its_chapters():
    reading = parse_reading(PAGE, "post.html")
    assert titles(reading) == [
        "Keeping a Harbour Light in Code",
        "What the light has to do",
        "The program",
        "What we kept by hand",
    ]
    assert {c.kind for c in reading.chapters} == {"main"}
    assert reading.chapters[0].passages[0].text.startswith("For ninety years the lantern")
    assert_invariant(reading)


def test_comments_sidebar_and_chrome_are_left_out():
    text = everything(parse_reading(PAGE, "post.html"))
    for outside in (
        "Portsoy",  # a comment
        "chalk board is wrong",  # another
        "Leave a Reply",
        "Share on Twitter",
        "writes software for small harbours",  # the author box
        "Related posts",
        "fog signals",
        "Newsletter",
        "Subscribe",
        "Tagged",
        "Privacy",
    ):
        assert outside not in text, outside


def test_a_code_listing_stays_whole_with_its_indentation():
    reading = parse_reading(PAGE, "post.html")
    listing = next(p for c in reading.chapters for p in c.passages if p.kind == "verse")
    assert listing.text == (
        "def should_be_lit(now, sun, boats_out):\n"
        "    if boats_out:\n"
        "        return True\n"
        "\n"
        "    evening = sun.set - HALF_HOUR\n"
        "    morning = sun.rise + HALF_HOUR\n"
        "    return now >= evening or now <= morning"
    )
    assert listing.html.startswith("<code>def should_be_lit(") and "&gt;=" in listing.html
    inline = reading.chapters[2].passages[0].html
    assert "<code>should_be_lit</code>" in inline


def test_a_page_without_an_article_is_refused():
    page = (
        b"<!DOCTYPE html><html><head><meta property='og:type' content='article'></head>"
        b"<body><nav><a href='/'>Home</a></nav><footer>Copyright</footer></body></html>"
    )
    with pytest.raises(ReadingImportError, match=r"^No article text was found on the page\.$"):
        parse_reading(page, "empty.html")


def test_the_web_article_format_can_be_chosen():
    page = (FIXTURES / "page.html").read_bytes()
    reading = parse_reading(page, "page.html", format="article")
    assert reading.format == "article"
    assert "Site name" not in everything(reading)
