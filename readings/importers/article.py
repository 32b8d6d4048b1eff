"""A saved web article (a page with the site around it) → `ParsedReading` of the article alone.

The article is found by trafilatura, the field's reference for main-text extraction, and
read by our own HTML walker: trafilatura says *which* text is the article (not the
navigation, share buttons, author box, sidebar, related posts, footer or comments), and
`BlockWalker` renders it as every other importer does — inline markup kept, the
text/html invariant by construction, and code listings (`<pre>`) whole, spaces and line
breaks and all, where trafilatura's own HTML would break them up. A block of the page is
kept when its words run through trafilatura's text (most of its three-word runs are in it;
a short heading must be a whole line of it); a page in which trafilatura finds nothing is
refused ("No article text was found on the page.").

Measured against a plain parse of the page (the HTML importer, which drops `<nav>`,
`<header>`, `<footer>` and `<aside>` but nothing else):
- on the Mozilla Hacks article in ../shared/texts/, the plain parse gives 222 passages
  (2,514 words), 143 of which (693 words) are not the article: "Skip to content", "Older
  Article", the byline, the two comments with their "Reply" links, the author box and a
  hundred category links; its 17 code listings lose their indentation. This importer gives
  92 passages (2,128 words): the opening and the 7 sections, every listing whole, nothing
  else. On tests/fixtures/importers/saved_article.html the plain parse keeps both comments,
  the share buttons, the author box and the tags; this importer keeps none of them.
- trafilatura's own HTML output, tried first, turned inline `<code>` into `<pre>` and code
  listings into quotations inside tables, which is why its text only picks the blocks.
- time: 49 ms for the plain parse of the 140 kB Mozilla page, 130 ms for this importer
  (trafilatura's extraction is most of it; its first call in a process also pays about a
  second of imports); see bench/imports.py.

Title, author, date and site come from the page's metadata (Open Graph, `<meta name=author>`,
JSON-LD, `article:published_time`, as trafilatura reads them). Sections at the top heading
level present make the chapters; what comes before the first is the article's opening,
titled by the article. An article has no front or back matter: every chapter is main text.
"""

from __future__ import annotations

import logging
import re

from . import limits
from .base import ParsedChapter, ParsedReading, ReadingImportError
from .html import page_title
from .htmlblocks import CHROME, BlockWalker, NoteMap
from .htmltree import parse_tree
from .inline import collapse
from .matter import MAIN
from .structure import Block, finish, title_from_file_name, title_passages

# Signs, in a page's first bytes, that it is an article on a site rather than a book.
_ARTICLE_SIGNS = re.compile(
    rb"""og:type["']?\s+content=["']?article|content=["']?article["']?\s+property=["']?og:type"""
    rb"""|article:(?:published_time|author|section)"""
    rb"""|"@type"\s*:\s*"(?:News|Blog|Tech|Scholarly|Report)?(?:Article|Posting)"|BlogPosting""",
    re.IGNORECASE,
)
_ARTICLE_ELEMENT = re.compile(rb"<article\b", re.IGNORECASE)
_SITE_CHROME = re.compile(
    rb"<nav\b|<aside\b|\bid=[\"']?comments\b|class=[\"'][^\"']*\bcomments?\b", re.I
)
SCAN_BYTES = 256 * 1024
SHINGLE = 3
SHARED = 0.6  # the share of a block's three-word runs that must be in the article


def looks_like_article(data: bytes) -> bool:
    """A page that says it is an article (Open Graph, `article:` metadata, JSON-LD), or holds
    an `<article>` among site chrome (navigation, a sidebar, comments)."""
    head = data[:SCAN_BYTES]
    if _ARTICLE_SIGNS.search(head):
        return True
    return bool(_ARTICLE_ELEMENT.search(head)) and bool(_SITE_CHROME.search(head))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


class _ArticleText:
    """trafilatura's text of the article, to test the page's blocks against."""

    def __init__(self, text: str) -> None:
        self.lines = {" ".join(_words(line)) for line in text.splitlines() if line.strip()}
        self.shingles = _shingles(_words(text))

    def holds(self, block: Block) -> bool:
        words = _words(block.text)
        if not words:
            return False
        if len(words) < SHINGLE + 1 or block.kind == "heading":
            return " ".join(words) in self.lines
        runs = _shingles(words)
        return len(runs & self.shingles) >= SHARED * len(runs)


def _extract(text: str) -> tuple[str, object]:
    """(trafilatura's text of the article, its metadata)."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    main = trafilatura.extract(
        text,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
    )
    return main or "", trafilatura.extract_metadata(text)


def parse_article(text: str, filename: str = "") -> ParsedReading:
    """Parse within the import's limits (`readings.importers.limits`)."""
    with limits.import_budget():
        return _parse_article(text, filename)


def _parse_article(text: str, filename: str) -> ParsedReading:
    main, meta = _extract(text)
    limits.check_time()
    if not main.strip():
        raise ReadingImportError("No article text was found on the page.")
    try:
        tree = parse_tree(text)
        body = tree.find("body") or tree
        blocks = BlockWalker(NoteMap.collect([tree]), skip=CHROME, code=True).walk(body)
    except RecursionError as error:
        raise ReadingImportError("The HTML is nested too deeply to be read.") from error
    article = _ArticleText(main)
    kept = [block for block in blocks if article.holds(block)]
    if not any(block.kind != "heading" for block in kept):
        raise ReadingImportError("No article text was found on the page.")
    title = collapse(getattr(meta, "title", "") or "") or page_title(tree)[0]
    if kept and kept[0].kind == "heading" and collapse(kept[0].text) == title:
        kept = kept[1:]  # the article's own title, shown as the reading's
    html_element = tree.find("html")
    language = (html_element.get("lang") if html_element is not None else "") or "en"
    reading = ParsedReading(
        title=title or title_from_file_name(filename),
        chapters=_sections(kept, title or "Article"),
        author=collapse(getattr(meta, "author", "") or ""),
        language=language[:12],
        source_note=_source(meta),
        licence=collapse(getattr(meta, "license", "") or ""),
        format="article",
        title_from_file_name=not title,
    )
    return finish(reading)


def _source(meta: object) -> str:
    """ "Mozilla Hacks – the Web developer blog, 2015-03-10, https://…": site, date, address."""
    parts = [collapse(str(getattr(meta, name, "") or "")) for name in ("sitename", "date", "url")]
    return ", ".join(part for part in parts if part)


def _sections(blocks: list[Block], title: str) -> list[ParsedChapter]:
    """Chapters at the top heading level used twice or more; the opening before the first
    is titled by the article; deeper headings stay as heading passages."""
    levels = [b.level for b in blocks if b.kind == "heading"]
    repeated = sorted(level for level in set(levels) if levels.count(level) >= 2)
    top = repeated[0] if repeated else None
    chapters = [ParsedChapter(title, [], MAIN)]
    for block in blocks:
        if block.kind == "heading" and block.level == top:
            chapters.append(ParsedChapter(block.title, title_passages(block), MAIN))
        else:
            chapters[-1].passages.append(block.passage())
    return chapters
