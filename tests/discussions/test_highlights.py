"""Highlights: marks over anchored phrases, without breaking the passage's inline markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from discussions.highlights import Highlight, describe_highlights, highlight_html, text_content

MARKERS = re.compile(r'<span class="hl-(?:open|end)"[^>]*></span>')
START = (
    '<span class="hl-open" id="hl-{0}" role="button" tabindex="0" aria-label="annotation start" '
    'aria-describedby="hld-{0}" aria-expanded="false" aria-controls="thread-panel"></span>'
)
END = '<span class="hl-end" data-label="annotation end"></span>'


def without_markers(html: str) -> str:
    return MARKERS.sub("", html)


class Marked(HTMLParser):
    """An independent reading of highlighted HTML: for each text character, the threads of the
    marks around it; and whether every tag closes in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.chars: list[tuple[str, set[int]]] = []
        self.well_formed = True
        self.marks: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "br":
            return  # void
        if tag == "mark":
            if any(t == "mark" for t, _ in self.stack):
                self.well_formed = False  # marks never nest
            self.marks.append(attrs)
        self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.well_formed = False
            return
        self.stack.pop()

    def handle_data(self, data):
        threads: set[int] = set()
        for tag, attrs in self.stack:
            if tag == "mark":
                threads |= {int(t) for t in attrs["data-threads"].split()}
        self.chars.extend((char, threads) for char in data)

    @classmethod
    def read(cls, html: str) -> Marked:
        parser = cls()
        parser.feed(html)
        parser.close()
        parser.well_formed = parser.well_formed and not parser.stack
        return parser

    @property
    def text(self) -> str:
        return "".join(char for char, _ in self.chars)


def threads_at(html: str) -> list[set[int]]:
    return [threads for _, threads in Marked.read(html).chars]


# Examples -----------------------------------------------------------------------------------


def test_it_leaves_html_without_ranges_untouched():
    html = "He said <em>“stop &amp; go”</em>."

    assert highlight_html(html, []) == html
    assert highlight_html(html, [Highlight(4, 4, 1)]) == html


def test_a_range_across_nested_elements_is_split_at_their_edges():
    html = 'Before <em>in <a href="/n?a=1&amp;b=2">a <strong>link</strong></a> here</em> after.'
    text = text_content(html)
    start = text.index("in a")
    end = text.index(" here") + len(" here")

    out = highlight_html(html, [Highlight(start, end, 7)])

    assert out == (
        f'Before <em><mark class="hl" data-threads="7">{START.format(7)}in </mark>'
        '<a href="/n?a=1&amp;b=2"><mark class="hl" data-threads="7">a </mark>'
        '<strong><mark class="hl" data-threads="7">link</mark></strong></a>'
        f'<mark class="hl" data-threads="7"> here{END}</mark></em> after.'
    )


def test_overlapping_ranges_get_a_depth_class_and_both_threads():
    html = "one two three four"

    out = highlight_html(html, [Highlight(0, 13, 1), Highlight(4, 18, 2)])

    assert '<mark class="hl hl--2" data-threads="1 2"' in out
    assert threads_at(out)[4:13] == [{1, 2}] * 9
    assert threads_at(out)[:4] == [{1}] * 4
    assert threads_at(out)[13:] == [{2}] * 5


def test_each_highlight_starts_with_its_button_and_ends_with_a_marker():
    html = "alpha <em>beta</em> gamma"

    out = highlight_html(html, [Highlight(0, 25, 1), Highlight(6, 10, 2)])

    assert out == (
        f'<mark class="hl" data-threads="1">{START.format(1)}alpha </mark>'
        f'<em><mark class="hl hl--2" data-threads="1 2">{START.format(2)}beta{END}</mark></em>'
        f'<mark class="hl" data-threads="1"> gamma{END}</mark>'
    )


def test_highlights_starting_together_each_get_a_button_the_shorter_first():
    out = highlight_html("one two three", [Highlight(0, 13, 1), Highlight(0, 3, 2)])

    assert out.index('id="hl-2"') < out.index('id="hl-1"') < out.index("one")
    assert out.count(END) == 2


def test_threads_on_the_same_words_share_one_highlight():
    out = highlight_html("one two", [Highlight(0, 3, 4, 2), Highlight(0, 3, 9, 1)])

    assert out.count('class="hl-open"') == 1 and 'id="hl-4"' in out
    assert '<mark class="hl hl--2" data-threads="4 9">' in out
    assert describe_highlights([Highlight(0, 3, 4, 2), Highlight(0, 3, 9, 1)], 7) == (
        '<span id="hld-4">3 comments, 2 threads</span>'
    )


def test_descriptions_count_comments_and_say_where_highlights_overlap():
    ranges = [Highlight(0, 13, 1, 3), Highlight(4, 18, 2, 1), Highlight(20, 25, 3, 1)]

    notes = describe_highlights(ranges, 30)

    assert notes == (
        '<span id="hld-1">3 comments, 1 thread, overlaps 1 other highlight</span>'
        '<span id="hld-2">1 comment, 1 thread, overlaps 1 other highlight</span>'
        '<span id="hld-3">1 comment, 1 thread</span>'
    )


def test_adjacent_ranges_are_separate_marks():
    out = highlight_html("abcdef", [Highlight(0, 3, 1), Highlight(3, 6, 2)])

    assert threads_at(out) == [{1}] * 3 + [{2}] * 3
    assert out.count("<mark") == 2
    assert "hl--2" not in out


def test_entities_and_curly_quotes_count_as_one_character():
    html = "Tom &amp; Jerry said &ldquo;hi&rdquo; &#8212; “ok”"
    text = text_content(html)
    assert text == "Tom & Jerry said “hi” — “ok”"
    start = text.index("& Jerry")
    quote_start = text.index("“hi”")

    out = highlight_html(
        html, [Highlight(start, start + 7, 1), Highlight(quote_start, quote_start + 4, 2)]
    )

    assert text_content(out) == text
    assert f"&amp; Jerry{END}</mark>" in out
    assert f"></span>“hi”{END}</mark>" in out


def test_text_that_needs_escaping_stays_escaped():
    html = "a &lt;b&gt; c"

    out = highlight_html(html, [Highlight(0, 5, 1)])

    assert f"></span>a &lt;b&gt;{END}</mark> c" in out
    assert text_content(out) == "a <b> c"


def test_ranges_out_of_bounds_are_clipped():
    out = highlight_html("short", [Highlight(-5, 2, 1), Highlight(3, 99, 2), Highlight(50, 60, 3)])

    assert threads_at(out) == [{1}, {1}, set(), {2}, {2}]
    assert "hl-3" not in out


def test_a_thousand_overlapping_ranges_keep_the_text_and_mark_every_range():
    html = " ".join(f"word{i} <em>and {i}</em> &amp; more" for i in range(250))
    length = len(text_content(html))
    ranges = [Highlight((i * 37) % length, (i * 37) % length + 30, i) for i in range(1000)]

    out = highlight_html(html, ranges)

    assert text_content(out) == text_content(html)
    covered = threads_at(out)
    for r in ranges:
        for position in range(r.start, min(r.end, length)):
            assert r.thread_id in covered[position]


# Properties ---------------------------------------------------------------------------------

CHARS = st.sampled_from(list("ab c&<>“”’é—") + ["&amp;", "&lt;", "&ldquo;", "&#8217;", "&#x2014;"])


def _text(pieces: list[str]) -> str:
    out = []
    for piece in pieces:
        if piece.startswith("&") and len(piece) > 1:
            out.append(piece)
        else:
            out.append({"&": "&amp;", "<": "&lt;", ">": "&gt;"}.get(piece, piece))
    return "".join(out)


leaf = st.lists(CHARS, min_size=1, max_size=12).map(_text) | st.just("<br>")
inline_html = st.recursive(
    leaf,
    lambda children: st.tuples(
        st.sampled_from(["em", "strong", "a href='/x?a=1&amp;b'", "sup", "sub", "code", "span"]),
        st.lists(children, min_size=1, max_size=3),
    ).map(lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0].split()[0]}>"),
    max_leaves=12,
).flatmap(lambda first: st.lists(st.just(first) | leaf, min_size=1, max_size=3).map("".join))


@settings(max_examples=400, deadline=None)
@given(html=inline_html, data=st.data())
def test_marks_cover_exactly_the_ranges_and_keep_the_markup(html, data):
    text = Marked.read(html).text
    ranges = data.draw(
        st.lists(
            st.builds(
                Highlight,
                st.integers(-3, len(text) + 3),
                st.integers(-3, len(text) + 3),
                st.integers(1, 6),
            ),
            max_size=8,
            unique_by=lambda h: h.thread_id,  # a thread has one range
        )
    )

    out = highlight_html(html, ranges)
    marked = Marked.read(out)

    assert marked.well_formed
    assert marked.text == text
    for position, (_, threads) in enumerate(marked.chars):
        wanted = {r.thread_id for r in ranges if r.start <= position < r.end}
        assert threads == wanted
    # The original markup is intact: removing the marks gives back the same elements.
    assert _without_marks(without_markers(out)) == _without_marks(html)
    # One start button and one end marker per distinct range.
    distinct = {(max(0, r.start), min(len(text), r.end)) for r in ranges}
    distinct = {(a, b) for a, b in distinct if a < b}
    assert out.count('class="hl-open"') == len(distinct)
    ends = len({b for _, b in distinct})
    assert out.count('class="hl-end"') == ends
    # Each description counts the other highlights its range crosses.
    notes = describe_highlights(ranges, len(text))
    for a, b in distinct:
        crossing = sum(1 for c, d in distinct if (c, d) != (a, b) and c < b and a < d)
        first = min(
            r.thread_id for r in ranges if (max(0, r.start), min(len(text), r.end)) == (a, b)
        )
        said = re.search(rf'<span id="hld-{first}">([^<]*)</span>', notes).group(1)
        assert (f"overlaps {crossing} other" in said) == bool(crossing)


def _without_marks(html: str) -> list[tuple[str, str]]:
    """The element structure (tags and text), marks removed and text runs joined."""
    parts: list[tuple[str, str]] = []

    class Structure(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag != "mark":
                parts.append(("start", f"{tag}{sorted(attrs)}"))

        def handle_endtag(self, tag):
            if tag != "mark":
                parts.append(("end", tag))

        def handle_data(self, data):
            if parts and parts[-1][0] == "text":
                parts[-1] = ("text", parts[-1][1] + data)
            else:
                parts.append(("text", data))

    parser = Structure(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return parts
