"""Plain-text books divided only into parts named by lines of capitals, with a contents list
naming the same parts; bylines on title pages; titles that fall back to the file name."""

from __future__ import annotations

from readings.importers import parse_reading

from .support import FIXTURES, assert_invariant, titles

BOOK = (FIXTURES / "parts_with_contents.txt").read_bytes()
PARTS = ["Introduction", "The Old Commons", "Enclosure", "What Was Lost", "Conclusion"]


def test_the_parts_the_contents_list_names_are_the_chapters_in_order():
    reading = parse_reading(BOOK, "parts_with_contents.txt")
    assert titles(reading) == PARTS
    assert reading.chapters[1].passages[0].text.startswith("Before the fences,")
    assert_invariant(reading)


def test_the_title_page_and_contents_list_are_not_chapters():
    reading = parse_reading(BOOK, "parts_with_contents.txt")
    text = " ".join(p.text for c in reading.chapters for p in c.passages)
    assert "FIELDSTONE" not in text and "CONTENTS" not in text.upper()
    assert reading.title == "The Common Field"
    assert reading.author == "Helen Ashworth"


def test_a_line_of_capitals_inside_a_part_stays_its_text():
    reading = parse_reading(BOOK, "parts_with_contents.txt")
    enclosure = reading.chapters[2]
    assert [p.text for p in enclosure.passages][1] == "NOTICE TO THE PARISH"


def test_a_part_named_again_later_stays_text_and_parts_keep_the_lists_order():
    text = BOOK.decode().replace(
        "The young went to the towns.", "ENCLOSURE\n\nThe young went to the towns."
    )
    reading = parse_reading(text.encode(), "parts.txt")
    assert titles(reading) == PARTS
    assert "ENCLOSURE" in [p.text for p in reading.chapters[3].passages]


def test_contents_entries_may_carry_page_numbers_and_dot_leaders():
    text = BOOK.decode()
    for number, part in enumerate(["THE OLD COMMONS", "ENCLOSURE", "WHAT WAS LOST"], 2):
        text = text.replace(f"    {part}\n", f"    {part} {'.' * 12} {number * 7}\n", 1)
    assert "ENCLOSURE ............ 21" in text
    assert titles(parse_reading(text.encode(), "parts.txt")) == PARTS


def test_no_chapter_swallows_the_book_when_its_parts_are_listed():
    reading = parse_reading(BOOK, "parts_with_contents.txt")
    words = [sum(len(p.text.split()) for p in c.passages) for c in reading.chapters]
    assert max(words) < 0.4 * sum(words)


def test_a_byline_on_the_title_page_gives_the_author():
    text = "A SMALL BOOK\n\nby\nJane Q. Writer,\n\n\n\nIt began on a Tuesday, as such things do.\n"
    reading = parse_reading(text.encode(), "small.txt")
    assert (reading.title, reading.author) == ("A Small Book", "Jane Q. Writer")
    assert [p.text for c in reading.chapters for p in c.passages] == [
        "It began on a Tuesday, as such things do."
    ]


def test_a_title_from_the_file_name_is_flagged():
    reading = parse_reading(b"Just one paragraph of text, and nothing else.", "my_notes.txt")
    assert (reading.title, reading.title_from_file_name) == ("my notes", True)
    named = parse_reading(b"A Title\n\nThe text.", "my_notes.txt")
    assert (named.title, named.title_from_file_name) == ("A Title", False)
