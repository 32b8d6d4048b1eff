"""Real books from ../shared/texts/ (skipped where that folder is absent)."""

from __future__ import annotations

import re

from readings.importers import parse_reading

from .support import assert_invariant, shared_text, titles

ROMAN_1_TO_61 = [
    "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX XXI XXII XXIII "
    "XXIV XXV XXVI XXVII XXVIII XXIX XXX XXXI XXXII XXXIII XXXIV XXXV XXXVI XXXVII XXXVIII "
    "XXXIX XL XLI XLII XLIII XLIV XLV XLVI XLVII XLVIII XLIX L LI LII LIII LIV LV LVI LVII "
    "LVIII LIX LX LXI"
][0].split()


def test_pride_and_prejudice_has_61_chapters_starting_with_chapter_i():
    reading = parse_reading(shared_text("pg1342_pride_and_prejudice.txt"), "pg1342.txt")
    assert reading.title == "Pride and Prejudice"
    assert reading.author == "Jane Austen"  # from the title page's "by\nJane Austen,"
    assert [c.kind for c in reading.chapters[:2]] == ["front", "main"]
    chapters = [c for c in reading.chapters if c.title.startswith("Chapter ")]
    assert [c.title for c in chapters] == [f"Chapter {n}" for n in ROMAN_1_TO_61]
    # The preface is kept before them; the title page and list of illustrations are not.
    assert titles(reading) == ["Preface"] + [c.title for c in chapters]
    first = chapters[0].passages[0]
    assert first.text.startswith("It is a truth universally acknowledged")
    assert_invariant(reading)


def test_pride_and_prejudice_drops_illustrations_and_renders_italics():
    reading = parse_reading(shared_text("pg1342_pride_and_prejudice.txt"), "pg1342.txt")
    everything = [p for c in reading.chapters for p in c.passages]
    assert not any("Illustration" in p.text for p in everything)
    assert not any("Copyright 1894" in p.text for p in everything)
    assert not any("Heading to Chapter" in p.text for p in everything)
    chapter_i = reading.chapters[1]
    assert any("“<em>You</em> want to tell me" in p.html for p in chapter_i.passages)
    assert "_" not in " ".join(p.text for p in chapter_i.passages)


def test_gutenberg_manifesto_has_the_preamble_then_sections_i_to_iv():
    reading = parse_reading(shared_text("pg61_communist_manifesto.txt"), "pg61.txt")
    assert reading.source_note == "Project Gutenberg eBook #61"
    assert reading.licence == "Public domain in the USA"
    assert reading.title == "The Communist Manifesto"
    assert reading.author == "Karl Marx and Friedrich Engels"
    assert titles(reading) == [
        "Manifesto of the Communist Party",
        "I: Bourgeois and Proletarians",
        "II: Proletarians and Communists",
        "III: Socialist and Communist Literature",
        "IV: Position of the Communists in Relation to the Various Existing Opposition Parties",
    ]
    preamble = reading.chapters[0].passages
    assert any(p.text.startswith("A spectre is haunting Europe") for p in preamble)
    assert [p.kind for p in preamble if p.text.startswith(("I. ", "II. "))] == [
        "list_item",
        "list_item",
    ]
    everything = " ".join(p.text for c in reading.chapters for p in c.passages)
    assert "PROJECT GUTENBERG" not in everything.upper()
    assert_invariant(reading)


def test_gutenberg_manifesto_keeps_subsections_and_lists_inside_their_section():
    reading = parse_reading(shared_text("pg61_communist_manifesto.txt"), "pg61.txt")
    section_ii = reading.chapters[2].passages
    assert sum(1 for p in section_ii if p.kind == "list_item") == 10
    section_iii = reading.chapters[3].passages
    headings = [p.text for p in section_iii if p.kind == "heading"]
    assert headings[:2] == ["1. REACTIONARY SOCIALISM", "A. Feudal Socialism"]
    assert 'C. German, or "True," Socialism' in headings


def test_conquest_of_bread_has_the_preface_and_17_chapters():
    reading = parse_reading(shared_text("kropotkin_conquest_of_bread.md"), "conquest.md")
    assert len(reading.chapters) == 18
    assert reading.chapters[0].title == "Preface"
    assert reading.chapters[1].title == "Chapter 1: Our Riches"
    assert reading.chapters[17].title == "Chapter 17: Agriculture"
    first = reading.chapters[1].passages[0]
    assert (first.kind, first.text) == ("heading", "I")
    assert_invariant(reading)


def test_conquest_of_bread_footnotes_unescaping_and_quotes():
    reading = parse_reading(shared_text("kropotkin_conquest_of_bread.md"), "conquest.md")
    notes = [(c, p) for c in reading.chapters for p in c.passages if p.kind == "note"]
    assert len(notes) == 10
    chapter, note_two = notes[1]
    assert note_two.text.startswith("2. “Shabble of a Duke”") or note_two.text.startswith(
        '2. "Shabble of a Duke"'
    )
    assert "somewhat free rendering" in note_two.text  # the indented continuation
    assert 'href="#noteref-2"' in note_two.html
    assert any('href="#note-2"' in p.html for p in chapter.passages)
    everything = " ".join(p.text for c in reading.chapters for p in c.passages)
    assert "\\" not in everything
    assert "[see table 1 at the end of the document]" in everything
    preface = reading.chapters[0].passages
    assert [p.text for p in preface if p.kind == "quote"] == ["Bromley, Kent.", "October, 1906."]


def test_standard_ebooks_manifesto_has_prefaces_introduction_chapters_and_endnotes():
    reading = parse_reading(shared_text("se_communist_manifesto.epub"), "manifesto.epub")
    assert reading.title == "The Communist Manifesto"
    assert reading.author == "Karl Marx and Friedrich Engels"
    assert titles(reading) == [
        "Preface",
        "Introduction",
        "I: Bourgeois and Proletarians",
        "II: Proletarians and Communists",
        "III: Socialist and Communist Literature",
        "IV: Position of the Communists in Relation to the Various Existing Opposition Parties",
        "Endnotes",
    ]
    notes = reading.chapters[-1].passages
    assert all(p.kind == "note" for p in notes)
    assert len(notes) == 10
    assert notes[3].html.startswith(
        '<a class="noteback" id="note-4" href="../3/#noteref-4" role="doc-backlink">4.</a>'
    )
    chapter_i = " ".join(p.html for p in reading.chapters[2].passages)
    assert (
        'society<sup><a class="noteref" id="noteref-4" href="../7/#note-4" '
        'role="doc-noteref">4</a></sup>'
    ) in chapter_i
    assert "↩" not in " ".join(p.text for p in notes)
    assert reading.source_note.startswith("Standard Ebooks (from https://www.gutenberg.org/")
    assert reading.licence.startswith("The source text and artwork in this ebook are believed")
    assert "United States public domain" in reading.licence
    # Note 3 is referenced from the title of section I, which keeps the reference.
    assert reading.chapters[2].passages[0].html == (
        'I: Bourgeois and Proletarians<sup><a class="noteref" id="noteref-3" '
        'href="../7/#note-3" role="doc-noteref">3</a></sup>'
    )
    assert notes[2].html.startswith(
        '<a class="noteback" id="note-3" href="../3/#noteref-3" role="doc-backlink">3.</a>'
    )
    assert_invariant(reading)


ROMAN_1_TO_30 = ROMAN_1_TO_61[:30]


def test_candide_has_the_introduction_then_30_chapters_and_its_footnotes():
    reading = parse_reading(shared_text("pg19942-candide-h.htm"), "pg19942-candide-h.htm")
    assert (reading.title, reading.author) == ("Candide", "Voltaire")
    assert reading.source_note == "Project Gutenberg eBook #19942"
    main = [c for c in reading.chapters if c.kind == "main"]
    assert [c.title.split(":")[0] for c in main] == ROMAN_1_TO_30
    assert main[0].title == (
        "I: How Candide Was Brought Up in a Magnificent Castle, and How He Was Expelled Thence"
    )
    assert main[-1].title == "XXX: The Conclusion"
    front = [c.title for c in reading.chapters if c.kind == "front"]
    assert front == ["Introduction"]
    assert [c.title for c in reading.chapters if c.kind == "back"] == ["Footnotes"]
    text = " ".join(p.text for c in reading.chapters for p in c.passages)
    assert "[Pg" not in text and "Gutenberg" not in text
    assert "Cunégonde" in text  # Latin-1, as declared
    notes = [p for p in reading.chapters[-1].passages if p.html.startswith('<a class="noteback"')]
    assert len(notes) == 35
    assert_invariant(reading)


ROMAN_1_TO_17 = ROMAN_1_TO_61[:17]


def test_whitehead_pdf_has_its_17_chapters_from_the_outline():
    reading = parse_reading(
        shared_text("pg41568-whitehead-intro-to-mathematics.pdf"), "whitehead.pdf"
    )
    assert reading.title == "An Introduction to Mathematics"
    assert reading.author == "Alfred North Whitehead"
    main = [c for c in reading.chapters if c.kind == "main"]
    assert [c.title.split(":")[0] for c in main] == ROMAN_1_TO_17
    assert main[0].title == "I: Nature of Mathematics."
    assert main[-1].title == "XVII: Quantity."
    assert [c.title for c in reading.chapters if c.kind == "front"] == ["Transcriber's Note."]
    assert [c.title for c in reading.chapters if c.kind == "back"] == [
        "Notes.",
        "Bibliography.",
        "Index.",
    ]
    text = " ".join(p.text for c in reading.chapters for p in c.passages)
    assert not re.search(r"INTRODUCTION TO MATHEMATICS \d", text)  # running headers
    assert not re.search(r"NATURE OF MATHEMATICS \d", text)
    assert "PROJECT GUTENBERG" not in text.upper().replace("WWW.GUTENBERG.ORG", "")
    assert "ﬁ" not in text and "ﬀ" not in text
    opening = main[0].passages
    assert opening[0].text == "Chapter I: The Abstract Nature of Mathematics"
    assert opening[1].text.startswith("The study of mathematics is apt to commence in disap")
    assert "disappointment" in opening[1].text
    notes = [p for c in reading.chapters for p in c.passages if p.kind == "note"]
    assert len(notes) >= 5 and all(p.text.startswith("∗.") for p in notes)
    assert_invariant(reading)


def test_the_mozilla_hacks_article_alone_with_its_seven_sections():
    page = shared_text("web-hacks-mozilla-this-api-is-so-fetching.html")
    reading = parse_reading(page, "web-hacks-mozilla-this-api-is-so-fetching.html")
    assert reading.format == "article"
    assert reading.title == "This API is so Fetching!"
    assert reading.author == "Nikhil Marathe"
    assert "2015-03-10" in reading.source_note
    assert titles(reading)[1:] == [
        "Feature detection",
        "Simple fetching",
        "Headers",
        "Request",
        "Response",
        "Dealing with bodies",
        "Future improvements",
    ]
    assert titles(reading)[0] == reading.title  # the opening, before the first section
    text = " ".join(p.text for c in reading.chapters for p in c.passages)
    for outside in ("how do you abort a fetch?", "Reply", "About the Author", "Older Article"):
        assert outside not in text
    listings = [p for c in reading.chapters for p in c.passages if p.kind == "verse"]
    assert len(listings) == 17
    assert listings[0].text.startswith('fetch("/data.json").then(function(res) {\n  // res')
    assert_invariant(reading)
