"""The plain-text importer on small hand-written inputs."""

from __future__ import annotations

from readings.importers import parse_reading

from .support import FIXTURES, assert_invariant, titles


def _text(source: str, name: str = "story.txt"):
    return parse_reading(source.encode("utf-8"), name)


def test_it_takes_the_title_from_the_first_line():
    reading = _text("My Title\n\nA first paragraph.\n\nA second one.\n")
    assert reading.title == "My Title"
    assert titles(reading) == ["My Title"]
    assert [p.text for p in reading.chapters[0].passages] == [
        "A first paragraph.",
        "A second one.",
    ]


def test_it_joins_wrapped_lines_and_collapses_spaces():
    reading = _text("Title\n\nOne   line\nwrapped  here,\tand\u00a0there.\n")
    assert reading.chapters[0].passages[0].text == "One line wrapped here, and there."


def test_it_handles_bom_and_crlf():
    reading = parse_reading("\ufeffTitle\r\n\r\nLine one\r\nline two.\r\n".encode(), "a.txt")
    assert reading.title == "Title"
    assert reading.chapters[0].passages[0].text == "Line one line two."


def test_it_splits_sections_at_blank_runs_and_short_heading_lines():
    reading = _text(
        "Essay\n\nIntro paragraph.\n\n\nSecond section text.\n\nMore.\n\n"
        "A Heading Line  \n\nUnder the heading.\n\nIt ends with a colon:\n\nQuoted.\n"
    )
    assert titles(reading) == ["Introduction", "Section 2", "A Heading Line"]
    assert [p.text for p in reading.chapters[2].passages] == [
        "Under the heading.",
        "It ends with a colon:",
        "Quoted.",
    ]


def test_numbered_chapter_headings_make_chapters_and_skip_a_table_of_contents():
    reading = _text(
        "A Novel\n\nContents\n\nChapter 1\nChapter 2\nChapter 3\n\n\n"
        "CHAPTER 1.\n\nIt began.\n\nChapter 2\n\nIt went on.\n\nCHAPTER 3. THE END\n\nIt ended.\n"
    )
    assert titles(reading) == ["Chapter 1", "Chapter 2", "Chapter 3: The End"]


def test_roman_numeral_and_part_headings():
    assert titles(_text("Book\n\nPART I\n\nOne.\n\nPART II\n\nTwo.\n")) == ["Part I", "Part II"]
    assert titles(_text("Book\n\nI.\n\nOne.\n\nII.\n\nTwo.\n")) == ["I", "II"]
    assert titles(_text("Book\n\nPart One\n\nChapter 1\n\nA.\n\nII\n\nB.\n")) == [
        "Part One — Chapter 1",
        "Part One — II",
    ]


def test_books_containing_chapters_give_two_level_titles():
    reading = parse_reading(
        (FIXTURES / "gutenberg_two_level.txt").read_bytes(), "gutenberg_two_level.txt"
    )
    assert reading.title == "A Tiny War"
    assert reading.author == "Some Author"
    assert titles(reading) == [
        "Book One: 1805 — Chapter I",
        "Book One: 1805 — Chapter II",
        "Book Two: 1806 — Chapter I",
    ]
    everything = " ".join(p.text for c in reading.chapters for p in c.passages)
    assert "Produced by" not in everything
    assert "Illustration" not in everything and "footnote inside" not in everything
    assert "PLEASE READ" not in everything and "End of the Project" not in everything
    assert "<em>July</em>" in reading.chapters[0].passages[0].html
    assert_invariant(reading)


def test_an_old_small_print_header_and_footer_are_removed():
    data = (FIXTURES / "gutenberg_old_small_print.txt").read_bytes()
    reading = parse_reading(data, "gutenberg_old_small_print.txt")
    assert reading.title == "Old Style"
    assert titles(reading) == ["Chapter 1", "Chapter 2"]
    assert reading.chapters[-1].passages[-1].text == "The second chapter, short."


def test_an_illustration_announcing_a_chapter_leaves_the_chapter():
    reading = _text(
        "Tale\n\n[Illustration: ·TALE·\n\n\nChapter I.]\n\nFirst words.\n\n"
        "[Illustration:\n\n“A caption”\n\n[_Copyright._]]\n\nMore words.\n\n\n"
        "CHAPTER II.\n\nSecond.\n"
    )
    assert titles(reading) == ["Chapter I", "Chapter II"]
    assert [p.text for p in reading.chapters[0].passages] == ["First words.", "More words."]


def test_italics_become_emphasis_even_across_lines():
    reading = _text("T\n\nShe said _you\nmust_ go, not snake_case_name.\n")
    passage = reading.chapters[0].passages[0]
    assert passage.text == "She said you must go, not snake_case_name."
    assert passage.html == "She said <em>you must</em> go, not snake_case_name."


def test_text_is_escaped_in_html():
    reading = _text("T\n\nFish & chips <b>not bold</b>.\n")
    passage = reading.chapters[0].passages[0]
    assert passage.html == "Fish &amp; chips &lt;b&gt;not bold&lt;/b&gt;."
    assert_invariant(reading)


def test_numbered_notes_at_the_end_link_both_ways():
    reading = _text(
        "Essay\n\nA claim.1 Another claim.2 A third3 without a note9.\n\n"
        "And again.1\n\n\n\n1. First note.\n\n2. Second note.\n\n3. Third note.\n"
    )
    assert titles(reading) == ["Essay", "Notes"]
    first, second = reading.chapters[0].passages
    assert first.text == "A claim.1 Another claim.2 A third3 without a note9."
    assert 'id="noteref-1" href="../2/#note-1"' in first.html
    assert "note9." in first.html
    assert 'class="noteref" href="../2/#note-1"' in second.html  # second reference: no id
    notes = reading.chapters[1].passages
    assert [p.text for p in notes] == ["1. First note.", "2. Second note.", "3. Third note."]
    assert 'href="../1/#noteref-3"' in notes[2].html
    assert_invariant(reading)


def test_a_numbered_list_at_the_end_without_references_is_not_notes():
    reading = _text("List\n\nThings to do:\n\n\n1. Wash.\n\n2. Dry.\n")
    assert titles(reading) == ["Introduction", "Section 2"]
    assert [p.kind for p in reading.chapters[1].passages] == ["list_item", "list_item"]


def test_indented_blocks_in_wrapped_text_are_quotes():
    reading = _text("T\n\nShe read the letter:\n\n     “Dear Sir,\n     I write.”\n\nThen left.\n")
    assert [p.kind for p in reading.chapters[0].passages] == ["paragraph", "quote", "paragraph"]
    assert reading.chapters[0].passages[1].text == "“Dear Sir, I write.”"


def test_a_short_paragraph_ending_in_a_note_reference_stays_a_paragraph():
    reading = _text(
        "Essay\n\nThe argument begins with a long enough paragraph of ordinary prose.\n\n"
        "Marx said so himself.1\n\nThe argument goes on.\n\n\n\n1. Capital, volume one.\n"
    )
    assert titles(reading) == ["Essay", "Notes"]
    passages = reading.chapters[0].passages
    assert [p.text for p in passages][1] == "Marx said so himself.1"
    assert passages[1].kind == "paragraph"
    assert 'id="noteref-1" href="../2/#note-1"' in passages[1].html
    assert 'href="../1/#noteref-1"' in reading.chapters[1].passages[0].html
    assert_invariant(reading)


def test_a_chapter_whose_only_paragraph_is_short_keeps_it():
    reading = _text(
        "Novel\n\nChapter 1\n\nIt began.\n\nChapter 2\n\nThe room was filling\n\n"
        "Chapter 3\n\nIt ended.\n"
    )
    assert titles(reading) == ["Chapter 1", "Chapter 2", "Chapter 3"]
    only = reading.chapters[1].passages
    assert [(p.kind, p.text) for p in only] == [("paragraph", "The room was filling")]


def test_a_section_of_one_short_line_keeps_its_heading_and_line():
    reading = _text(
        "Essay\n\nIntro paragraph.\n\n\nFirst Heading\n\nThe room was filling\n\n\n"
        "Second Heading\n\nA paragraph.\n"
    )
    assert titles(reading) == ["Introduction", "First Heading", "Second Heading"]
    assert [(p.kind, p.text) for p in reading.chapters[1].passages] == [
        ("paragraph", "The room was filling")
    ]


def test_paragraphs_quoted_whole_after_a_colon_are_a_quotation():
    reading = _text(
        "Essay\n\nHe put it plainly:\n\n“The first paragraph of the quotation, "
        "with “inner” words.\n\nThe second one.\n\nThe last, closed here.”2\n\n"
        "And my own words again.\n\n“A quoted line, not after a colon.”\n\n"
        "He said: “this is inline” and more.\n\n\n\n1. n\n\n2. m\n"
    )
    kinds = [p.kind for p in reading.chapters[0].passages]
    assert kinds == ["paragraph", "quote", "quote", "quote", "paragraph", "paragraph", "paragraph"]


def test_a_quote_closed_before_the_paragraph_ends_is_not_a_quotation():
    reading = _text("Essay\n\nTronti wrote:\n\n“Workers’ struggles,” he wrote, “determine it.”\n")
    assert [p.kind for p in reading.chapters[0].passages] == ["paragraph", "paragraph"]


GUTENBERG = """The Project Gutenberg EBook of A Small Tale, by Ann Author

This eBook is for the use of anyone anywhere at no cost and with
almost no restrictions whatsoever.{copyright}

Title: A Small Tale

Author: Ann Author

Release Date: January 25, 2005 [EBook #4242]

*** START OF THIS PROJECT GUTENBERG EBOOK A SMALL TALE ***

Once upon a time.

*** END OF THIS PROJECT GUTENBERG EBOOK A SMALL TALE ***
"""


def test_a_gutenberg_book_is_public_domain_in_the_usa_with_its_ebook_number():
    reading = _text(GUTENBERG.format(copyright=""))
    assert reading.source_note == "Project Gutenberg eBook #4242"
    assert reading.licence == "Public domain in the USA"


def test_a_gutenberg_header_naming_a_copyright_gives_it_as_the_licence():
    reading = _text(GUTENBERG.format(copyright="\n\nCopyright (C) 2005 by Ann Author."))
    assert reading.licence == "Copyright (C) 2005 by Ann Author."


def test_a_text_without_a_gutenberg_header_has_no_licence():
    reading = _text("Title\n\nText.\n")
    assert (reading.source_note, reading.licence) == ("", "")
