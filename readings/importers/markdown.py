"""Markdown (CommonMark + footnotes + YAML front matter + tables) → `ParsedReading`.

The top heading level present makes the chapters (a lone top heading opening the file is
the title instead); deeper headings are heading passages. Block quotes give "quote"
passages, list items "list_item", fenced code "verse" (kept whole, spaces and all, in `<code>`),
table rows a paragraph each with cells joined by " | ". Footnotes `[^n]` become "note"
passages placed at the end of the chapter holding their first reference.
"""

from __future__ import annotations

import re

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from . import limits
from .base import ParsedReading
from .inline import REF_MARK, InlineBuilder, collapse, label_id
from .structure import Block, chapters_from_blocks, finish, title_from_file_name
from .titles import byline_author

_MARKDOWN_HINT = re.compile(r"\A---[ \t]*\n\w[\w -]*:|^#{1,6}[ \t]+\S|^\S.*\n=+[ \t]*$", re.M)


def looks_like_markdown(text: str) -> bool:
    """Front matter, an ATX heading or a "===" setext heading: enough to call it Markdown."""
    return _MARKDOWN_HINT.search(text.lstrip("\ufeff")) is not None


def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark")
        .use(front_matter_plugin)
        .use(footnote_plugin)
        .enable(["table", "strikethrough"])
    )


def _footnote_label(token: Token) -> str:
    label = token.meta.get("label")
    return str(label) if label else str(token.meta.get("id", 0) + 1)


def _render_inline(builder: InlineBuilder, children: list[Token], refs: bool = True) -> None:
    links: list[bool] = []
    for token in children:
        kind = token.type
        if kind == "text":
            builder.add_text(token.content)
        elif kind in ("softbreak", "hardbreak"):
            builder.add_text("\n")
        elif kind == "code_inline":
            builder.open("code")
            builder.add_text(token.content)
            builder.close("code")
        elif kind in ("em_open", "strong_open"):
            builder.open(token.tag if token.tag in ("em", "strong") else "em")
        elif kind in ("em_close", "strong_close"):
            builder.close(token.tag if token.tag in ("em", "strong") else "em")
        elif kind == "link_open":
            links.append(builder.link(str(token.attrs.get("href", ""))))
        elif kind == "link_close":
            if links and links.pop():
                builder.close("a")
        elif kind == "footnote_ref":
            if refs:
                builder.noteref(_footnote_label(token))
        elif kind in ("image", "html_inline", "s_open", "s_close"):
            continue
        elif token.children:
            _render_inline(builder, token.children, refs)
        elif token.content:
            builder.add_text(token.content)


def _inline_block(kind: str, inline: Token, note_label: str = "") -> Block:
    builder = InlineBuilder()
    if note_label:
        builder.noteback(note_label)
    _render_inline(builder, inline.children or [])
    text, html = builder.result()
    limits.charge_passage(text)
    return Block(kind, text, html)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _check_size(text: str) -> None:
    """Refuse a text with more paragraphs than a reading may hold passages before
    markdown-it tokenizes it whole (three tokens per paragraph)."""
    budget = limits.current()
    count = 0
    for count, _ in enumerate(_BLANK_LINE.finditer(text), 1):  # noqa: B007
        if count % 4096 == 0:
            budget.check_passage_count(count)
    budget.check_passage_count(count)


def _front_matter(source: str) -> dict[str, str]:
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, str] = {}
    for key in ("title", "author", "language", "lang", "source", "licence", "license"):
        value = data.get(key)
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value if item is not None)
        if value is not None and not isinstance(value, dict):
            out[key] = collapse(str(value))
    return out


def parse_markdown(text: str, filename: str = "") -> ParsedReading:
    """Parse within the import's limits (`readings.importers.limits`)."""
    with limits.import_budget():
        return _parse_markdown(text, filename)


def _parse_markdown(text: str, filename: str) -> ParsedReading:
    _check_size(text)
    tokens = _parser().parse(text)
    meta: dict[str, str] = {}
    blocks: list[Block] = []
    notes: dict[str, list[Block]] = {}
    quote_depth = list_depth = 0
    note_label = ""
    note_first = False
    row: list[str] | None = None
    row_html: list[str] = []

    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        index += 1
        if kind == "front_matter":
            meta = _front_matter(token.content)
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif kind == "footnote_open":
            note_label = _footnote_label(token)
            note_first = True
            notes.setdefault(label_id(note_label), [])
        elif kind == "footnote_close":
            note_label = ""
        elif kind == "heading_open":
            inline = tokens[index]
            index += 1
            block = _inline_block("heading", inline)
            title = InlineBuilder()
            _render_inline(title, inline.children or [], refs=False)
            block.level = int(token.tag[1:]) if token.tag[1:].isdigit() else 6
            block.title = title.result()[0]
            (notes[label_id(note_label)] if note_label else blocks).append(block)
        elif kind == "paragraph_open" or kind in ("th_open", "td_open"):
            if index >= len(tokens) or tokens[index].type != "inline":
                continue
            inline = tokens[index]
            index += 1
            if row is not None:
                cell = _inline_block("paragraph", inline)
                if cell.text:
                    row.append(cell.text)
                    row_html.append(cell.html)
                continue
            if note_label:
                block = _inline_block("note", inline, note_label if note_first else "")
                note_first = False
                notes[label_id(note_label)].append(block)
                continue
            kind_name = "quote" if quote_depth else "list_item" if list_depth else "paragraph"
            blocks.append(_inline_block(kind_name, inline))
        elif kind == "tr_open":
            row, row_html = [], []
        elif kind == "tr_close":
            if row:
                blocks.append(Block("paragraph", " | ".join(row), " | ".join(row_html)))
            row = None
        elif kind in ("fence", "code_block"):
            builder = InlineBuilder(preformatted=True)
            builder.open("code")
            builder.add_text(token.content)
            builder.close("code")
            blocks.append(Block("verse", *builder.result()))

    fallback = meta.get("title") or title_from_file_name(filename) or "Untitled"
    author = meta.get("author") or _take_byline(blocks)
    chapters, doc_title = chapters_from_blocks(blocks, fallback)
    _place_notes(chapters, notes)
    reading = ParsedReading(
        title=meta.get("title") or doc_title or fallback,
        chapters=chapters,
        author=author,
        language=(meta.get("language") or meta.get("lang") or "en")[:12],
        source_note=meta.get("source", ""),
        licence=meta.get("licence") or meta.get("license") or "",
        format="markdown",
        title_from_file_name=not (meta.get("title") or doc_title),
    )
    return finish(reading)


def _take_byline(blocks: list[Block]) -> str:
    """The author from a byline under the title ("by Jane Austen", "*By Jane Austen*"): a
    short paragraph among the first blocks, before any chapter's text; it is removed."""
    for index, block in enumerate(blocks[:3]):
        if block.kind == "paragraph" and (author := byline_author(block.text)):
            del blocks[index]
            return author
        if block.kind == "paragraph" and len(block.text.split()) > 12:
            return ""
    return ""


def _place_notes(chapters: list, notes: dict[str, list[Block]]) -> None:
    """Each footnote goes to the end of the chapter that first refers to it (else the last)."""
    if not notes or not chapters:
        return
    placed: set[str] = set()
    for chapter in chapters:
        wanted: list[str] = []
        for passage in chapter.passages:
            if REF_MARK not in passage.html:
                continue
            for ident in re.findall("\x00R([^\x02]*)\x02", passage.html):
                if ident in notes and ident not in placed and ident not in wanted:
                    wanted.append(ident)
        for ident in wanted:
            chapter.passages.extend(block.passage() for block in notes[ident] if block.text)
            placed.add(ident)
    for ident, note_blocks in notes.items():
        if ident not in placed:
            chapters[-1].passages.extend(block.passage() for block in note_blocks if block.text)
