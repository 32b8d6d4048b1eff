"""The two seed essays come out as the seeds' README describes (read from the demo copy)."""

from __future__ import annotations

import re

import pytest

from readings.importers import parse_reading

from .support import DEMO_DATA, assert_invariant, titles

SEED_000 = "000_a9b1cfdacfef8aef.txt"
SEED_003 = "003_822ff67cca5cf967.txt"


def _seed(name: str):
    return parse_reading((DEMO_DATA / name).read_bytes(), name)


def test_demo_copies_match_the_shared_seeds_when_present():
    shared = DEMO_DATA / ".." / ".." / ".." / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds/ is absent: nothing to compare the demo copy with")
    for name in (SEED_000, SEED_003):
        assert (DEMO_DATA / name).read_bytes() == (shared / name).read_bytes()


def test_seed_000_has_six_sections_with_the_heading_as_title():
    reading = _seed(SEED_000)
    assert reading.title == "All Tomorrow’s Parties: A Reply to Critics"
    assert titles(reading) == [
        "Introduction",
        "Section 2",
        "Section 3",
        "Section 4",
        "Division of Labor",
        "Section 6",
    ]
    assert [len(c.passages) for c in reading.chapters] == [1, 8, 10, 6, 9, 8]
    assert reading.chapters[0].passages[0].text.startswith("Though my article “The Actuality")
    assert reading.chapters[4].passages[0].text.startswith("Pham Binh raises")
    assert_invariant(reading)


def test_seed_000_drops_the_web_page_residue_at_the_end():
    reading = _seed(SEED_000)
    last = reading.chapters[-1].passages[-1].text
    assert last.startswith("What form this mediating organization will take")
    everything = " ".join(p.text for c in reading.chapters for p in c.passages)
    assert "Author of the article" not in everything
    assert "is an editor of Viewpoint." not in everything


def test_seed_000_keeps_a_short_line_ending_in_a_colon_as_a_paragraph():
    reading = _seed(SEED_000)
    first = reading.chapters[1].passages[0]
    assert first.kind == "paragraph"
    assert first.text.endswith("He writes:")


def test_seed_003_has_six_sections_and_a_notes_chapter():
    reading = _seed(SEED_003)
    assert reading.title == "Toward Building Tomorrow: Expertise and Dual Power"
    assert titles(reading) == [
        "Building institutions of the class",
        "What is Dual Power?",
        "Section 3",
        "Why an expanded conception of dual power is important for expertise",
        "Some Limitations and Criticism of This More Practical Model From History",
        "Section 6",
        "Notes",
    ]
    notes = reading.chapters[-1].passages
    assert [p.kind for p in notes] == ["note", "note", "note"]
    assert [p.text[:10] for p in notes] == ["1. Tamari,", "2. Bookchi", "3. Bernard"]
    assert_invariant(reading)


def test_seed_003_keeps_the_standfirst_first():
    reading = _seed(SEED_003)
    first = reading.chapters[0].passages[0]
    assert first.kind == "paragraph"
    assert first.text.startswith("C.D. Varn considers the strengths")
    second = reading.chapters[1].passages[1]
    assert second.text == "Lenin’s use here was clear:"
    assert second.kind == "paragraph"


def test_seed_003_quotes_lenin_across_three_paragraphs():
    reading = _seed(SEED_003)
    passages = reading.chapters[1].passages
    assert [p.kind for p in passages] == ["paragraph", "paragraph", "quote", "quote", "quote"]
    assert reading.chapters[2].passages[0].kind == "paragraph"
    assert passages[2].text.startswith("“What is this dual power?")
    assert passages[4].text.endswith("the ordinary pay of a competent worker.”3")
    assert 'href="../7/#note-3"' in passages[4].html


def test_seed_000_has_no_quotation_passages():
    assert {p.kind for c in _seed(SEED_000).chapters for p in c.passages} == {"paragraph"}


def test_seed_003_links_references_to_notes_and_back_across_chapters():
    reading = _seed(SEED_003)
    html = " ".join(p.html for p in reading.chapters[1].passages)
    for n in (1, 2, 3):
        assert (
            f'<sup><a class="noteref" id="noteref-{n}" href="../7/#note-{n}" '
            f'role="doc-noteref">{n}</a></sup>'
        ) in html
    assert "Hezbollah.<sup>" in html
    assert "dual power.”<sup>" in html
    assert "competent worker.”<sup>" in html
    for n, passage in enumerate(reading.chapters[-1].passages, start=1):
        assert passage.html.startswith(
            f'<a class="noteback" id="note-{n}" href="../2/#noteref-{n}" '
            f'role="doc-backlink">{n}.</a> '
        )


def test_seed_003_leaves_a_reference_without_a_note_as_plain_text():
    reading = _seed(SEED_003)
    passage = next(p for c in reading.chapters for p in c.passages if "alone model4." in p.text)
    assert "alone model4." in passage.html
    assert not re.search(r"model<sup>", passage.html)
