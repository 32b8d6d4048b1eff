"""Property: for any input, every importer keeps text-content(html) == text, and raises
nothing but ReadingImportError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readings.importers import FORMATS, ReadingImportError, parse_reading

from .pdfwriter import Page, build_pdf
from .support import assert_invariant, make_epub

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that matter to the importers: markup, escapes, whitespace, quotes, digits.
ALPHABET = st.sampled_from(
    list("abcXYZ019 \t\n\n\n_*#>-[]()!:.,;?&<>\"'`\\|/=~^")
    + ["\u00a0", "\u201c", "\u201d", "&amp;", "&#0;", "\r\n", "\ufeff", "\u2028", "é"]
)
TEXTS = st.lists(ALPHABET, max_size=300).map("".join)
SNIPPETS = st.sampled_from(
    [
        "CHAPTER IV.\n\n",
        "[Illustration: x\n\nChapter I.]\n\n",
        "[^1]: note\n    more\n\n",
        "[^1]",
        "\n\n\n1. A note.\n",
        "word.1 ",
        "_it_",
        "---\ntitle: [x\n---\n",
        "<p>",
        "<a href='#n1' class='noteref'>1</a>",
        "<li id='n1'>",
        "<br/>",
        "<pre>a\n  b</pre>",
        "<blockquote class='poem'>x<br>y</blockquote>",
        "<!-- c -->",
        "<h2>",
        "</h2>",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "```\ncode\n```\n",
    ]
)
DOCUMENTS = st.lists(st.one_of(TEXTS, SNIPPETS), max_size=12).map("".join)


def _check(data: bytes, filename: str, format: str | None = None) -> None:
    try:
        reading = parse_reading(data, filename, format=format)
    except ReadingImportError:
        return
    assert_invariant(reading)


@SETTINGS
@given(DOCUMENTS)
def test_plain_text(document):
    _check(document.encode(), "x.txt")


@SETTINGS
@given(DOCUMENTS)
def test_markdown(document):
    _check(document.encode(), "x.md")


@SETTINGS
@given(DOCUMENTS)
def test_html(document):
    _check(document.encode(), "x.html")


@SETTINGS
@given(DOCUMENTS)
def test_epub(document):
    _check(make_epub([("a.xhtml", f"<body><section>{document}</section></body>")]), "x.epub")


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from([None, *FORMATS]))
def test_any_bytes(data, format):
    _check(data, "upload", format=format)


PDF_LINES = st.lists(
    st.tuples(
        st.sampled_from([7, 11, 11, 11, 18]),
        st.sampled_from([72, 72, 92, 300]),
        st.lists(st.sampled_from(list("abcXYZ019 .,;:-()'\"“”é*†") + ["har-", " 1", "I"])).map(
            "".join
        ),
    ),
    max_size=30,
)


@SETTINGS
@given(PDF_LINES)
def test_pdf(lines):
    pages: list[Page] = []
    for index, (size, x, text) in enumerate(lines):
        if index % 8 == 0:
            pages.append(Page())
        pages[-1].text(x, 700 - (index % 8) * 16, size, text)
    _check(build_pdf(pages or [Page()]), "x.pdf")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_article(document):
    page = f"<html><body><article><h1>T</h1>{document}</article><nav>Home</nav></body></html>"
    _check(page.encode(), "x.html", format="article")


PDF_PIECES = st.sampled_from(
    [b"%PDF-1.4\n", b"1 0 obj\n", b"<< /Type /Catalog /Pages 2 0 R >>", b"endobj\n",
     b"<< /Length 5 /Filter /FlateDecode >>\nstream\n", b"endstream\n", b"xref\n0 3\n",
     b"trailer\n<< /Root 1 0 R /Size 3 >>\n", b"startxref\n9\n%%EOF\n", b"(text) Tj",
     b"/Kids [3 0 R] /Count 1", b"[", b"]", b"<<", b">>", b"0000000000 65535 f \n"]
)  # fmt: skip


@SETTINGS
@given(st.lists(st.one_of(PDF_PIECES, st.binary(max_size=20)), max_size=20).map(b"".join))
def test_broken_pdfs_raise_only_import_errors(data):
    _check(b"%PDF-1.4\n" + data, "x.pdf")
