"""EPUB 2/3 → `ParsedReading`, with `zipfile` and the standard library's parsers.

META-INF/container.xml names the package document (OPF); its metadata gives title,
author(s), language and publisher, and its spine the reading order. Each spine document
gives one chapter, or one per `<section epub:type="chapter">` when it holds several — unless
those sections are the numbered sub-sections of a story or essay with its own title (a story
collection): then the story is the chapter, titled by the story, and its sub-sections' "I",
"II" stay in it as headings (`_chapter_roots`). `epub:type` tells front matter (preface,
introduction, dedication ...) and back matter (endnotes, appendix, glossary ...) from the
main text.
Title pages, imprints, colophons, copyright pages, half-titles and tables of contents are
skipped (by epub:type, or because they hold no paragraphs). Chapter titles come from the
first heading; an `<hgroup>` with an ordinal and a title reads "I: Bourgeois and
Proletarians". dc:rights gives the licence and dc:publisher with dc:source the source.
Note references link to the endnotes, which stay a chapter of their own; a
title with a reference in it also stays as the chapter's first passage, a heading carrying
the reference, so that the note links back to it.
"""

from __future__ import annotations

import posixpath
import zipfile
from io import BytesIO
from urllib.parse import unquote
from xml.etree import ElementTree

from . import limits
from .base import ParsedChapter, ParsedReading, ReadingImportError
from .charsets import declared_in_html
from .decode import decode_bytes
from .headings import is_part_title
from .htmlblocks import BlockWalker, NoteMap
from .htmltree import Element, parse_tree
from .inline import collapse
from .matter import BACK, FRONT, MAIN
from .structure import Block, finish, title_from_file_name

SKIPPED_TYPES = frozenset(
    {
        "titlepage",
        "halftitlepage",
        "imprint",
        "colophon",
        "copyright-page",
        "toc",
        "landmarks",
        "loi",
        "lot",
        "cover",
        "seriespage",
    }
)
_CHAPTER_TYPES = frozenset({"chapter"})


def _broken(detail: str) -> ReadingImportError:
    return ReadingImportError(f"The EPUB file is broken ({detail}); export it again and retry.")


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, within the import's limits (`limits.ImportBudget.read_member`)."""
    try:
        info = archive.getinfo(name)
    except KeyError as error:
        raise _broken(f"{name} is missing") from error
    try:
        return limits.current().read_member(archive, info)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as error:
        if isinstance(error, ReadingImportError):
            raise
        raise _broken(f"{name} cannot be read") from error


def _xml(data: bytes, name: str) -> ElementTree.Element:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise _broken(f"{name} is not well-formed XML") from error
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
    return root


def _text(element: ElementTree.Element | None) -> str:
    return collapse("".join(element.itertext())) if element is not None else ""


def _decode(data: bytes, name: str) -> str:
    """An XHTML document's text, in the encoding it declares (else a BOM, else UTF-8)."""
    try:
        return decode_bytes(data, declared_in_html(data))
    except ReadingImportError as error:
        message = str(error).removeprefix("The file ")
        raise ReadingImportError(f"The EPUB's {name} {message}") from error


def _heading_for(blocks: list[Block]) -> tuple[str, list[Block]]:
    """The chapter's title (its first heading, if nothing comes before it) and the rest;
    a heading holding a note reference stays among the rest (see `title_passages`)."""
    if blocks and blocks[0].kind == "heading":
        heading = blocks[0]
        return heading.title or heading.text, blocks[0 if heading.has_note_reference else 1 :]
    return "", blocks


def _source_note(publisher: str, sources: list[str]) -> str:
    """ "Standard Ebooks (from https://www.gutenberg.org/ebooks/31193, ...)": dc:publisher
    and the dc:source entries the edition was made from."""
    if not sources:
        return publisher
    origin = "from " + ", ".join(sources)
    return f"{publisher} ({origin})" if publisher else origin[0].upper() + origin[1:]


_SECTIONING = frozenset({"body", "section", "article", "div"})
_PART_TYPES = frozenset({"part", "volume", "division"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6", "hgroup")


_FRONT_TYPES = frozenset(
    {"preface", "foreword", "introduction", "dedication", "epigraph", "acknowledgments"}
)
_BACK_TYPES = frozenset(
    {"afterword", "appendix", "endnotes", "footnotes", "rearnotes", "glossary", "bibliography"}
    | {"index", "colophon", "notes"}
)


def _kind(types: set[str]) -> str:
    """Front matter, main text or back matter as `epub:type` says, else "" (decided later
    from the title: `matter.classify`)."""
    if types & _FRONT_TYPES:
        return FRONT
    if types & _BACK_TYPES:
        return BACK
    if "bodymatter" in types or types & _CHAPTER_TYPES:
        return MAIN
    if "frontmatter" in types:
        return FRONT
    return BACK if "backmatter" in types else ""


def _is_heading(node: Element | str) -> bool:
    if isinstance(node, str):
        return False
    return node.tag in _HEADINGS or (node.tag == "header" and node.find(*_HEADINGS) is not None)


def _titled(element: Element, holds: dict[int, bool]) -> bool:
    """Whether `element` opens with a heading of its own before the chapters inside it."""
    for child in element.children:
        if _is_heading(child):
            return True
        if isinstance(child, Element) and holds[id(child)]:
            return False
    return False


def _is_part(element: Element) -> bool:
    if element.types & _PART_TYPES:
        return True
    heading = next((c for c in element.children if _is_heading(c)), None)
    return heading is not None and is_part_title(collapse(heading.text()))


def _chapter_roots(body: Element) -> list[Element]:
    """The elements of a spine document that are each a chapter: its `<section
    epub:type="chapter">`s — or, when those sit inside a story or essay with its own title
    (a collection's story with numbered sub-sections), that story, whose sub-sections then
    stay in it as headings. Parts (`epub:type="part"`, "Part I") are not stories: the
    chapters inside them stay chapters. One root only means the document is the chapter.

    Two passes over the tree (whether each element holds a chapter section, then the
    outermost roots from the top), so that the cost stays linear however deep the nesting.
    """
    order = list(body.iter())
    holds: dict[int, bool] = {}
    for element in reversed(order):
        own = element.tag in _SECTIONING and bool(element.types & _CHAPTER_TYPES)
        holds[id(element)] = own or any(
            holds[id(child)] for child in element.children if isinstance(child, Element)
        )
    roots: list[Element] = []
    stack = [body]
    while stack:
        element = stack.pop()
        if not holds[id(element)]:
            continue
        chapter = element is not body and element.tag in _SECTIONING
        if chapter and element.types & _CHAPTER_TYPES and not element.types & _PART_TYPES:
            roots.append(element)
            continue
        if element.tag in _SECTIONING and _titled(element, holds) and not _is_part(element):
            roots.append(element)
            continue
        stack.extend(child for child in reversed(element.children) if isinstance(child, Element))
    return roots if len(roots) > 1 else [body]


def parse_epub(data: bytes, filename: str = "") -> ParsedReading:
    """Parse an EPUB within the import's limits (`readings.importers.limits`)."""
    with limits.import_budget():
        return _parse_epub(data, filename)


def _parse_epub(data: bytes, filename: str) -> ParsedReading:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ReadingImportError(
            "The file is not a valid EPUB (it is not a zip archive)."
        ) from error
    with archive:
        limits.current().check_members(archive)
        container = _xml(_read(archive, "META-INF/container.xml"), "container.xml")
        rootfile = container.find(".//rootfile")
        opf_path = rootfile.get("full-path", "") if rootfile is not None else ""
        if not opf_path:
            raise _broken("container.xml names no package document")
        opf = _xml(_read(archive, opf_path), opf_path)
        base = posixpath.dirname(opf_path)

        metadata = opf.find("metadata")
        title = _text(metadata.find("title")) if metadata is not None else ""
        creators = [_text(c) for c in metadata.findall("creator")] if metadata is not None else []
        language = _text(metadata.find("language")) if metadata is not None else ""
        publisher = _text(metadata.find("publisher")) if metadata is not None else ""
        rights = _text(metadata.find("rights")) if metadata is not None else ""
        sources = [_text(s) for s in metadata.findall("source")] if metadata is not None else []

        manifest = {
            item.get("id"): item for item in opf.iter("item") if item.get("id") and item.get("href")
        }
        documents: list[tuple[str, Element]] = []
        for itemref in opf.iter("itemref"):
            item = manifest.get(itemref.get("idref"))
            if item is None or "nav" in (item.get("properties") or "").split():
                continue
            if "html" not in (item.get("media-type") or "html"):
                continue
            path = posixpath.normpath(posixpath.join(base, unquote(item.get("href", ""))))
            try:
                documents.append((path, parse_tree(_decode(_read(archive, path), path))))
            except RecursionError as error:
                raise _broken(f"{path} is nested too deeply") from error
    if not documents:
        raise _broken("its spine lists no documents")

    notes = NoteMap.collect([tree for _, tree in documents])
    chapters: list[ParsedChapter] = []
    for _path, tree in documents:
        body = tree.find("body") or tree
        types = body.types | {t for s in body.iter("section") for t in s.types}
        if types & SKIPPED_TYPES and not types & _CHAPTER_TYPES:
            continue
        page_title_element = tree.find("title")
        page_title = collapse(page_title_element.text()) if page_title_element else ""
        roots = _chapter_roots(body)
        for root in roots:
            try:
                blocks = BlockWalker(notes, skip=frozenset({"nav"})).walk(root)
            except RecursionError as error:
                raise _broken("a document is nested too deeply") from error
            heading, blocks = _heading_for(blocks)
            chapter_title = heading or (page_title if len(roots) == 1 else "")
            kind = _kind(types if root is body else root.types | body.types)
            chapters.append(ParsedChapter(chapter_title, [b.passage() for b in blocks], kind))

    reading = ParsedReading(
        title=title or title_from_file_name(filename),
        chapters=chapters,
        author=" and ".join(c for c in creators if c),
        language=(language or "en")[:12],
        source_note=_source_note(publisher, [s for s in sources if s]),
        licence=rights,
        format="epub",
        title_from_file_name=not title,
    )
    return finish(reading)
