"""HTML → `ParsedReading`: headings, paragraphs, block quotes, lists; page chrome dropped.

`<script>`, `<style>`, `<nav>`, `<header>`, `<footer>` and `<aside>` are left out. The title
comes from `<title>`, else the first `<h1>`. Chapters come from the top heading level
present, as for Markdown (see `structure.chapters_from_blocks`).
"""

from __future__ import annotations

from pathlib import PurePath

from . import limits
from .base import ParsedReading, ReadingImportError
from .htmlblocks import BlockWalker, NoteMap, heading_title
from .htmltree import parse_tree
from .inline import collapse
from .structure import chapters_from_blocks, finish


def parse_html(text: str, filename: str = "") -> ParsedReading:
    """Parse within the import's limits (`readings.importers.limits`)."""
    with limits.import_budget():
        return _parse_html(text, filename)


def _parse_html(text: str, filename: str) -> ParsedReading:
    try:
        tree = parse_tree(text)
        notes = NoteMap.collect([tree])
        title_element = tree.find("title")
        title = collapse(title_element.text()) if title_element is not None else ""
        if not title and (h1 := tree.find("h1")) is not None:
            title = heading_title(h1, notes)
        body = tree.find("body") or tree
        blocks = BlockWalker(notes).walk(body)
    except RecursionError as error:
        raise ReadingImportError("The HTML is nested too deeply to be read.") from error
    html_element = tree.find("html")
    language = html_element.get("lang") if html_element is not None else ""
    fallback = title or PurePath(filename).stem or "Untitled"
    chapters, doc_title = chapters_from_blocks(blocks, fallback)
    reading = ParsedReading(
        title=title or doc_title or fallback,
        chapters=chapters,
        language=(language or "en")[:12],
        format="html",
    )
    return finish(reading)
