"""HTML → `ParsedReading`: a book or document saved as HTML (Project Gutenberg's included).

`<script>`, `<style>`, `<nav>`, `<header>`, `<footer>` and `<aside>` are left out, and so are
Gutenberg's header and licence, the printed edition's page numbers, and contents lists;
drop caps rejoin their words (`htmlclean`). Chapters come from headings (`htmlsections`):
the shallowest level where two or more headings have text under them.

The title is, in order: Gutenberg's header ("Title: Candide"), the page's `<title>` (without
"The Project Gutenberg eBook of … , by …"), a lone `<h1>`, else the file name (and the
preview asks for the real one). The author: Gutenberg's header, `<meta name="author">` (or
`DC.creator`), a byline on the title page ("By VOLTAIRE"), or the `<title>`'s ", by …".
"""

from __future__ import annotations

from . import limits
from .base import ParsedReading, ReadingImportError
from .gutenberg import split_title
from .htmlblocks import BlockWalker, NoteMap
from .htmlclean import cut_gutenberg, drop_page_numbers, join_drop_caps
from .htmlsections import book_sections
from .htmltree import Element, parse_tree
from .inline import collapse
from .structure import finish, title_from_file_name

_AUTHOR_META = ("author", "dc.creator", "dcterms.creator", "book:author")


def page_title(tree: Element) -> tuple[str, str]:
    """(title, author) from `<title>`: Gutenberg's "The Project Gutenberg eBook of Candide,
    by Voltaire." gives both, any other title is taken whole."""
    element = tree.find("title")
    return split_title(element.text() if element is not None else "")


def meta_content(tree: Element, *names: str) -> str:
    """The content of the first `<meta name=…>` (or `property=…`) among `names`."""
    wanted = {name.lower() for name in names}
    for element in tree.iter("meta"):
        key = (element.get("name") or element.get("property")).lower()
        if key in wanted and (content := collapse(element.get("content"))):
            return content
    return ""


def parse_html(text: str, filename: str = "") -> ParsedReading:
    """Parse within the import's limits (`readings.importers.limits`)."""
    with limits.import_budget():
        return _parse_html(text, filename)


def _parse_html(text: str, filename: str) -> ParsedReading:
    try:
        tree = parse_tree(text)
        body = tree.find("body") or tree
        gutenberg = cut_gutenberg(body)
        drop_page_numbers(body)
        join_drop_caps(body)
        notes = NoteMap.collect([tree])
        blocks = BlockWalker(notes).walk(body)
    except RecursionError as error:
        raise ReadingImportError("The HTML is nested too deeply to be read.") from error
    titled, titled_author = page_title(tree)
    fallback = title_from_file_name(filename)
    found = book_sections(blocks, titled or fallback or "Untitled")
    title = (gutenberg.title if gutenberg else "") or titled or found.title
    author = (
        (gutenberg.author if gutenberg else "")
        or meta_content(tree, *_AUTHOR_META)
        or found.author
        or titled_author
    )
    html_element = tree.find("html")
    language = html_element.get("lang") if html_element is not None else ""
    reading = ParsedReading(
        title=title or fallback,
        chapters=found.chapters,
        author=author,
        language=(language or (gutenberg.language if gutenberg else "") or "en")[:12],
        source_note=gutenberg.source if gutenberg else "",
        licence=gutenberg.licence if gutenberg else "",
        format="html",
        title_from_file_name=not title,
    )
    return finish(reading)
