"""Project Gutenberg's HTML books: headings with images, page numbers, drop caps, the
header and licence, title pages and contents lists."""

from __future__ import annotations

import re

from readings.importers import parse_reading

from .support import FIXTURES, assert_invariant, titles

BOOK = (FIXTURES / "gutenberg_images.html").read_bytes()


def everything(reading) -> str:
    return " ".join(p.text for c in reading.chapters for p in c.passages)


def test_chapters_come_from_headings_with_images_and_line_breaks():
    reading = parse_reading(BOOK, "gutenberg_images.html")
    assert titles(reading) == [
        "Chapter I: The Harbour Light",
        "Chapter II: The Keeper's Daughter",
        "Chapter III: The Winter Storm",
    ]
    assert [c.kind for c in reading.chapters] == ["main", "main", "main"]
    assert_invariant(reading)


def test_the_title_and_author_come_from_the_header_not_the_page_title():
    reading = parse_reading(BOOK, "gutenberg_images.html")
    assert reading.title == "The Lantern Keeper"
    assert reading.author == "Mara Ellison"
    assert reading.source_note == "Project Gutenberg eBook #99999"
    assert not reading.title_from_file_name


def test_the_header_licence_title_page_and_contents_are_not_text():
    text = everything(parse_reading(BOOK, "gutenberg_images.html"))
    for outside in ("Gutenberg", "START OF", "license", "HARBOUR PRESS", "Produced by"):
        assert outside not in text
    assert "The Keeper's Daughter" not in text  # the contents list


def test_page_numbers_are_dropped_even_mid_sentence():
    reading = parse_reading(BOOK, "gutenberg_images.html")
    text = everything(reading)
    assert not re.search(r"\{\d+\}", text)
    assert "thanks enough for any man." in text
    assert "both times from ports whose names" in text


def test_drop_caps_rejoin_their_words():
    reading = parse_reading(BOOK, "gutenberg_images.html")
    openings = [c.passages[0].text.split()[0] for c in reading.chapters]
    assert openings == ["The", "She", "When"]


def test_footnotes_link_both_ways_without_the_bracketed_label():
    reading = parse_reading(BOOK, "gutenberg_images.html")
    note = next(p for c in reading.chapters for p in c.passages if p.kind == "note")
    assert note.text == "1. The lantern was taken down in 1921 and is now in the town museum."
    assert 'href="../1/#noteref-1"' in note.html
    assert 'href="../3/#note-1"' in reading.chapters[0].passages[-1].html


def test_without_a_header_the_byline_on_the_title_page_gives_the_author():
    page = BOOK.decode()
    page = page[: page.index("<section")] + page[page.index("</section>") + 10 :]
    page = page.replace("The Project Gutenberg eBook of The Lantern Keeper, by Mara Ellison", "")
    reading = parse_reading(page.encode(), "lantern.html")
    assert reading.author == "Mara Ellison"
    assert reading.title == "The Lantern Keeper"  # the title page's lone <h1>


def test_a_page_title_naming_the_gutenberg_ebook_gives_title_and_author():
    page = (
        "<html><head><title>The Project Gutenberg eBook of Walden, by Henry David Thoreau"
        "</title></head><body><h2>Economy</h2><p>When I wrote the following pages.</p>"
        "<h2>Reading</h2><p>With a little more deliberation.</p></body></html>"
    )
    reading = parse_reading(page.encode(), "walden.html")
    assert (reading.title, reading.author) == ("Walden", "Henry David Thoreau")


def test_a_number_only_heading_and_the_title_heading_after_it_are_one_chapter_title():
    page = (
        "<html><body><h1>CANDIDE</h1><h2>By VOLTAIRE</h2><p class='c'>Copyright, 1918.</p>"
        "<h2>CONTENTS</h2><p>I. How Candide was brought up 1</p>"
        "<h2>I</h2><h3>HOW CANDIDE WAS BROUGHT UP IN A MAGNIFICENT CASTLE.</h3>"
        "<p>In a castle of Westphalia lived a youth.</p>"
        "<h2>II</h2><h3>WHAT BECAME OF CANDIDE AMONG THE BULGARIANS.</h3>"
        "<p>Candide, driven from terrestrial paradise, walked a long while.</p></body></html>"
    )
    reading = parse_reading(page.encode(), "candide.html")
    assert titles(reading) == [
        "I: How Candide Was Brought Up in a Magnificent Castle",
        "II: What Became of Candide Among the Bulgarians",
    ]
    assert reading.author == "Voltaire"
    assert reading.title == "Candide"
    assert reading.chapters[0].passages[0].text == "In a castle of Westphalia lived a youth."


def test_parts_with_chapters_make_chapters_titled_with_their_part():
    page = "<html><body>" + "".join(
        f"<h2>PART {part}</h2>"
        + "".join(f"<h3>CHAPTER {n}</h3><p>Text of chapter {n}.</p>" for n in chapters)
        for part, chapters in (("I", (1, 2)), ("II", (3, 4)))
    )
    reading = parse_reading((page + "</body></html>").encode(), "parts.html")
    assert titles(reading) == [
        "Part I — Chapter 1",
        "Part I — Chapter 2",
        "Part II — Chapter 3",
        "Part II — Chapter 4",
    ]


def test_a_long_opening_before_the_first_chapter_is_kept_as_front_matter():
    opening = "<p>" + "A word of welcome. " * 80 + "</p>"
    page = f"<html><body>{opening}<h2>One</h2><p>First.</p><h2>Two</h2><p>Second.</p></body></html>"
    reading = parse_reading(page.encode(), "opening.html")
    assert titles(reading) == ["Introduction", "One", "Two"]
    assert [c.kind for c in reading.chapters] == ["front", "main", "main"]


def test_a_chapter_titled_like_a_byline_stays_a_chapter():
    text = "<p>" + "The moon rose over the quay and the boats came in. " * 20 + "</p>"
    page = f"<html><body><h2>The Harbour</h2>{text}<h2>By Moonlight</h2>{text}</body></html>"
    reading = parse_reading(page.encode(), "stories.html")
    assert titles(reading) == ["The Harbour", "By Moonlight"]
    assert reading.author == ""
