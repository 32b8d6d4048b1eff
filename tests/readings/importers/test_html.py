"""The HTML importer."""

from __future__ import annotations

from readings.importers import parse_reading

from .support import FIXTURES, assert_invariant, titles


def test_a_page_keeps_content_and_drops_chrome():
    reading = parse_reading((FIXTURES / "page.html").read_bytes(), "page.html")
    assert reading.title == "A Page & Its Title"
    assert titles(reading) == ["First Chapter", "Second Chapter"]
    first = reading.chapters[0].passages
    assert [(p.kind, p.text) for p in first] == [
        ("paragraph", "Hello world & friends, see this and that."),
        ("quote", "Quoted words."),
        ("list_item", "First item"),
        ("list_item", "Second item"),
    ]
    assert first[0].html == (
        "Hello <em>world</em> &amp; <strong>friends</strong>, see "
        '<a href="https://example.org">this</a> and that.'
    )
    everything = " ".join(p.text for c in reading.chapters for p in c.passages)
    for chrome in ("Site name", "Home", "Copyright footer", "not text", "color"):
        assert chrome not in everything
    assert [p.kind for p in reading.chapters[1].passages] == ["paragraph", "heading", "paragraph"]
    assert_invariant(reading)


def test_title_falls_back_to_the_first_h1():
    reading = parse_reading(b"<html><body><h1>Only</h1><p>Text.</p></body></html>", "x.html")
    assert reading.title == "Only"
    assert titles(reading) == ["Only"]


def test_footnotes_in_a_page_are_linked():
    page = (
        '<html><body><p>Claim<a href="#fn1" class="footnote-ref">1</a>.</p>'
        '<section class="footnotes"><ol><li id="fn1"><p>Source. '
        '<a href="#fnref1" class="footnote-back">↩</a></p></li></ol></section></body></html>'
    )
    reading = parse_reading(page.encode(), "notes.html")
    claim, note = reading.chapters[0].passages
    assert 'href="#note-1"' in claim.html and 'id="noteref-1"' in claim.html
    assert (note.kind, note.text) == ("note", "1. Source.")
    assert 'href="#noteref-1"' in note.html


def test_unclosed_and_stray_tags_do_not_break_it():
    page = b"<p>One <b>bold<p>Two</i></div><li>Three<table><tr><td>a<td>b</table>"
    reading = parse_reading(page, "messy.html")
    assert [p.text for p in reading.chapters[0].passages] == ["One bold", "Two", "Three", "a | b"]
    assert_invariant(reading)


def test_a_reference_already_in_sup_is_not_wrapped_twice():
    source = (
        "<html><body><h1>Book</h1><p>Said so<sup><a class='noteref' href='#fn1'>1</a></sup>."
        "</p><ol><li id='fn1'>The note.</li></ol></body></html>"
    )
    reading = parse_reading(source.encode(), "page.html")
    html = reading.chapters[0].passages[0].html
    assert html.startswith('Said so<sup><a class="noteref" id="noteref-1"')
    assert "<sup><sup>" not in html
    assert_invariant(reading)
