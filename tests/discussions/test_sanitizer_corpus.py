"""Comment bodies: Markdown → HTML through one sanitizer, against an XSS corpus."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from circles.markdown import render_markdown, sanitize_html

CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml,<svg onload=alert(1)>)",
    "![x](https://example.org/a.png)",
    '<div hx-get="/circles/x/leave/" hx-trigger="load">x</div>',
    '<a href="/x" hx-post="/delete" hx-trigger="mouseover">x</a>',
    '[x](/y "title" onclick=alert(1))',
    "<<script>script>alert(1)<</script>/script>",
    "**<i onmouseover=alert(1)>bold</i>**",
    "> <iframe src=//evil.example></iframe>",
    "<https://example.org/ok>",
    "<javascript:alert(1)>",
    "`<script>` in code",
    "<style>body{display:none}</style>",
    '<form action="/x"><button formaction="javascript:alert(1)">x</button></form>',
    "[a](vbscript:msgbox(1))",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "[x](&#x6A;avascript:alert(1))",
]

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "a", "code", "pre", "blockquote", "ul", "ol", "li",
    "h3", "h4", "h5", "h6", "hr", "del", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRS = {"href", "title", "rel", "start"}
SAFE_HREF = re.compile(r"^(https?:|mailto:|[^:]*$)", re.IGNORECASE)


class Markup(HTMLParser):
    """The elements and attributes of a piece of HTML, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name not in ALLOWED_ATTRS or name.startswith(("on", "hx-", "data-")):
                self.problems.append(f"{tag}[{name}]")
            if name == "href" and not SAFE_HREF.match((value or "").strip()):
                self.problems.append(f"href={value}")


def problems(html: str) -> list[str]:
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser.problems


def test_the_checker_catches_what_it_should():
    bad = '<script>x</script><a href="javascript:x" onclick="y" hx-get="/z">a</a><img src=x>'
    assert len(problems(bad)) == 6


@pytest.mark.parametrize("text", CORPUS)
def test_no_forbidden_token_survives(text):
    html = render_markdown(text)
    assert problems(html) == [], html


def test_links_are_marked_as_user_content():
    html = render_markdown("[ok](https://example.org) and <https://example.org/auto>")
    assert html.count('rel="nofollow ugc noopener"') == 2


def test_code_shows_markup_as_text():
    assert "&lt;script&gt;" in render_markdown("`<script>`")


def test_headings_are_demoted_below_the_page():
    assert render_markdown("# Big").startswith("<h3>")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=list("<>/=\"' :;&#[]()!*`-_\\\nabcsriptjvhxon0123@"), max_size=30)
        | st.sampled_from(CORPUS),
        max_size=5,
    ).map("".join)
)
def test_sanitizing_is_idempotent_and_safe(text):
    html = render_markdown(text)
    assert sanitize_html(html) == html
    assert problems(html) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(CORPUS), min_size=1, max_size=4).map("\n".join))
def test_mixtures_of_the_corpus_stay_safe(text):
    html = render_markdown(text)
    assert problems(html) == []
    assert sanitize_html(html) == html
