"""PDF (with a text layer) → `ParsedReading`.

Why pypdf and not pdfminer.six: measured on the 228-page Whitehead PDF from Project Gutenberg
(pdfTeX) and on the PDFs the tests generate (whose text is known), pypdf
- extracts the text 2× as fast (2.0 s against 4.0 s with pdfminer's layout analysis on the
  Whitehead PDF: about 110 pages/s against 57),
- leaves no "(cid:NN)" garbage (pdfminer left 234 on the Whitehead PDF, where the maths fonts
  have no Unicode map; pypdf maps or drops them), and does not glue figure labels into words
  ("ThecrownWeightsWater": 10 such runs in pdfminer's text, none in pypdf's),
- gives each run of text its position and size (its visitor), which is all that finding
  lines, paragraphs, headings, running heads and footnotes needs here,
- and bounds what a hostile file can make it decompress (its `Configuration`, fed from the
  import's limits), where pdfminer has no such bound.
pdfminer's paragraph boxes were the one thing it did better; paragraphs are rebuilt here from
indentation, spacing and short last lines instead. The text extraction is what dominates the
time (about nine tenths of it); see bench/imports.py.

How a PDF is read:
1. Each page's text runs become lines (`pdflines`). A PDF with (almost) no text is a scan and
   is refused, saying so; so is an encrypted one (locked by its owner, password or not).
2. Gutenberg's header and licence, running headers, footers and page numbers go, and the
   footnotes at the pages' feet are set apart (`pdfpages`).
3. Chapters come from the outline (`pdfoutline`) when it has two or more; else from headings
   recognised by size, as for HTML (`htmlsections`): the biggest size that two headings
   share makes the chapters, a lone bigger one is the title.
4. Lines become paragraphs: a new one starts at an indented line, after a gap, after a short
   line that ends a sentence, and at a heading; a paragraph goes on across a page break. A
   word hyphenated at a line's end is joined ("disap-" "pointment"), keeping the hyphen only
   when the book spells the word with one elsewhere ("well-known"). A line set larger than
   the text is a heading, and so is a lone line in capitals ("THE ABSTRACT NATURE OF
   MATHEMATICS"); a number-only heading joins the title after it ("Chapter I: The
   Abstract Nature of Mathematics").
5. Footnotes become note passages at the end of their chapter, linked both ways to a raised
   mark in the text where there is one.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO

from pypdf import PageObject, PdfReader, apply_configuration
from pypdf.errors import LimitReachedError, PyPdfError

from . import limits
from .base import ParsedChapter, ParsedPassage, ParsedReading, ReadingImportError
from .gutenberg import split_title
from .headings import chapter_title
from .htmlsections import book_sections, merge_numbered_headings
from .inline import MARK_SEP, REF_MARK, InlineBuilder, collapse, label_id
from .pdflines import Line, page_lines
from .pdfoutline import SKIP, Mark, outline_marks
from .pdfpages import (
    Footnote,
    body_size,
    cut_gutenberg,
    drop_running_lines,
    is_raised_mark,
    take_footnotes,
)
from .structure import Block, finish, title_from_file_name

HEADING = 1.15  # a line this much larger than the text is a heading
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_SENTENCE_END = tuple('.?!:;”’")')


def _plain(text: str) -> tuple[str, str]:
    builder = InlineBuilder()
    builder.add_text(text)
    return builder.result()


def _broken(detail: str) -> ReadingImportError:
    return ReadingImportError(f"The PDF file is broken ({detail}); export it again and retry.")


@contextmanager
def _pypdf_bounds(bounds: limits.ImportLimits) -> Iterator[None]:
    """pypdf's own limits on what one stream may inflate to, from the import's."""
    size = bounds.member_bytes
    with apply_configuration(
        zlib_maximum_output_length=size,
        lzw_maximum_output_length=size,
        run_length_maximum_output_length=size,
        array_based_stream_maximum_output_length=size,
        maximum_declared_stream_length=size,
        image_maximum_buffer_size=size,
    ):
        yield


def parse_pdf(data: bytes, filename: str = "") -> ParsedReading:
    """Parse a PDF within the import's limits (`readings.importers.limits`)."""
    with limits.import_budget() as budget, _pypdf_bounds(budget.limits):
        try:
            return _parse_pdf(data, filename, budget)
        except ReadingImportError:
            raise
        except LimitReachedError as error:
            raise limits.limit_error(
                "The PDF holds a stream too large to read",
                f"{budget.limits.member_bytes // limits.MiB} MB uncompressed per stream",
                "member_bytes",
            ) from error
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise _broken(type(error).__name__) from error
        except RecursionError as error:
            raise _broken("it is nested too deeply") from error


def _decode_contents(page: PageObject) -> None:
    """Decode the page's content streams before pypdf reads their text: pypdf's extraction
    turns a stream past its size limit into an empty page, where this lets the limit be
    named. The decoded data is kept on the stream, so nothing is decoded twice."""
    contents = page.get("/Contents")
    if contents is None:
        return
    contents = contents.get_object()
    streams = contents if isinstance(contents, list) else [contents]
    for stream in streams:
        try:
            stream.get_object().get_data()
        except LimitReachedError:
            raise
        except Exception:  # noqa: BLE001 - a broken stream is left to the extraction
            continue


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(BytesIO(data), strict=False)
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise ReadingImportError(
            "The file is not a readable PDF; export it again and retry."
        ) from error
    if reader.is_encrypted:
        # Whether it needs a password to open or only restricts copying its text, an
        # encrypted PDF is refused: its owner chose to lock it.
        raise ReadingImportError(
            "The PDF is encrypted (protected by a password or against copying its text); "
            "save a copy without protection, or upload the text another way."
        )
    return reader


def _parse_pdf(data: bytes, filename: str, budget: limits.ImportBudget) -> ParsedReading:
    reader = _open(data)
    budget.check_pages(len(reader.pages))
    pages: list[list[Line]] = []
    for index, page in enumerate(reader.pages):
        budget.check_time()
        _decode_contents(page)
        pages.append(page_lines(page, index))
    letters = sum(ch.isalpha() for lines in pages for line in lines for ch in line.text)
    if letters < max(40, 5 * len(pages)):
        raise ReadingImportError(
            "The PDF has no text to read: its pages are pictures (a scan, most likely). "
            "Run it through text recognition (OCR) first, or upload the text another way."
        )
    info = reader.metadata or {}
    meta_title, meta_author = split_title(str(info.get("/Title") or ""))
    meta_author = meta_author or collapse(str(info.get("/Author") or ""))
    gutenberg = cut_gutenberg(pages)
    size = body_size(pages)
    drop_running_lines(pages, size)
    notes = take_footnotes(pages, size)
    flow = _Flow([line for lines in pages for line in lines], size, notes)
    title = (gutenberg.title if gutenberg else "") or meta_title
    marks = outline_marks(reader, flow.words_between)
    if sum(mark.kind != SKIP for mark in marks) >= 2:
        chapters = flow.chapters_at(marks, title)
    else:
        found = book_sections(flow.blocks(flow.lines), title or title_from_file_name(filename))
        chapters, title = found.chapters, title or found.title
        meta_author = meta_author or found.author
    flow.place_notes(chapters)
    reading = ParsedReading(
        title=title or title_from_file_name(filename),
        chapters=chapters,
        author=(gutenberg.author if gutenberg else "") or meta_author,
        language=(gutenberg.language if gutenberg else "") or "en",
        source_note=gutenberg.source if gutenberg else "",
        licence=gutenberg.licence if gutenberg else "",
        format="pdf",
        title_from_file_name=not title,
    )
    return finish(reading)


@dataclass
class _Ref:
    label: str
    ident: str


@dataclass
class _Paragraph:
    lines: list[Line] = field(default_factory=list)
    parts: list[str | _Ref] = field(default_factory=list)
    heading: bool = False


class _Flow:
    """The running text of a PDF, in reading order, with what it takes to cut it into
    paragraphs: the text's size, each page's left margin, the usual line spacing and length,
    and how the book spells its words."""

    def __init__(self, lines: list[Line], size: float, notes: list[Footnote]) -> None:
        self.lines = lines
        self.size = size
        self.notes = notes
        self.note_ids = {(n.page, n.mark): f"p{n.page + 1}-{label_id(n.mark)}" for n in notes}
        body = [line for line in lines if abs(line.size - size) < 0.5]
        self.margins: dict[int, float] = {}
        by_page: dict[int, list[float]] = {}
        for line in body:
            by_page.setdefault(line.page, []).append(round(line.x))
        common = Counter(round(line.x) for line in body).most_common(1)
        fallback = common[0][0] if common else 0.0
        for page, xs in by_page.items():
            self.margins[page] = Counter(xs).most_common(1)[0][0] if len(xs) >= 5 else fallback
        gaps = [
            a.y - b.y
            for a, b in zip(body, body[1:], strict=False)
            if a.page == b.page and 0.5 * size < a.y - b.y < 3 * size
        ]
        self.leading = statistics.median(gaps) if gaps else 1.2 * size
        self.typical = statistics.median(len(line.text) for line in body) if body else 60
        self.spellings: Counter[str] = Counter()
        for line in lines:
            words = _WORD.findall(line.text.casefold())
            if words and line.text.rstrip().endswith("-"):
                words = words[:-1]
            self.spellings.update(words[1:])
        self.chapter_of_page: dict[int, int] = {}

    # --- Chapters -----------------------------------------------------------------------

    def words_between(self, start: Mark, end: Mark) -> int:
        low, high = start.position(), end.position()
        return sum(
            len(line.text.split())
            for line in self.lines
            if low <= (line.page, -line.y) < high and line.size <= self.size * HEADING
        )

    def chapters_at(self, marks: list[Mark], book_title: str) -> list[ParsedChapter]:
        """One chapter per mark, holding the lines from it to the next; lines before the
        first mark (a title page) are left out."""
        groups: list[list[Line]] = [[] for _ in marks]
        at = -1
        for line in self.lines:
            while at + 1 < len(marks) and marks[at + 1].position() <= (line.page, -line.y):
                at += 1
            if at >= 0:
                groups[at].append(line)
        chapters = []
        for mark, lines in zip(marks, groups, strict=True):
            if mark.kind == SKIP:
                continue
            blocks = [
                b
                for b in self.blocks(lines)
                if not (b.kind == "heading" and b.text.casefold() == book_title.casefold())
            ]
            chapters.append(ParsedChapter(mark.title, [b.passage() for b in blocks], mark.kind))
            for line in lines:
                self.chapter_of_page[line.page] = len(chapters) - 1
        return chapters

    def place_notes(self, chapters: list[ParsedChapter]) -> None:
        """Each footnote at the end of the chapter that refers to it, else of the chapter its
        page's text ends in (else the last)."""
        if not chapters:
            return
        for note in self.notes:
            ident = self.note_ids[(note.page, note.mark)]
            placeholder = f"{REF_MARK}{ident}{MARK_SEP}"
            index = next(
                (
                    i
                    for i, chapter in enumerate(chapters)
                    if any(placeholder in p.html for p in chapter.passages)
                ),
                self.chapter_of_page.get(note.page, len(chapters) - 1),
            )
            builder = InlineBuilder()
            builder.noteback(note.mark, self.note_ids[(note.page, note.mark)])
            builder.add_text(note.text)
            text, html = builder.result()
            limits.charge_passage(text)
            chapters[index].passages.append(ParsedPassage("note", text, html))

    # --- Paragraphs ---------------------------------------------------------------------

    def blocks(self, lines: list[Line]) -> list[Block]:
        """The lines as heading and paragraph blocks."""
        paragraphs: list[_Paragraph] = []
        previous: Line | None = None
        for line in lines:
            limits.check_time()
            heading = line.size >= self.size * HEADING
            current = paragraphs[-1] if paragraphs else None
            if (
                current is None
                or heading != current.heading
                or (heading and abs(line.size - previous.size) > 0.5)
                or (not heading and self._starts_paragraph(line, previous))
            ):
                current = _Paragraph(heading=heading)
                paragraphs.append(current)
            self._append(current, line)
            previous = line
        blocks = [self._block(p) for p in paragraphs]
        levels = sorted({b.level for b in blocks if b.kind == "heading"})
        for block in blocks:
            if block.kind == "heading":
                block.level = levels.index(block.level) + 1
        merged = merge_numbered_headings([b for b in blocks if b.text])
        for block in merged:
            if block.kind == "heading" and block.text != chapter_title(block.title):
                block.title = chapter_title(block.title)  # "Chapter I" + "The ..." joined
                block.text, block.html = _plain(block.title)
        return merged

    def _starts_paragraph(self, line: Line, previous: Line) -> bool:
        margin = self.margins.get(line.page, line.x)
        indented = line.x > margin + 0.6 * self.size
        ended = len(previous.text) < 0.8 * self.typical and previous.text.endswith(_SENTENCE_END)
        if line.page != previous.page:
            return indented or ended
        gap = previous.y - line.y > 1.6 * self.leading
        was_display = previous.x > self.margins.get(previous.page, previous.x) + 3 * self.size
        return indented or ended or gap or (was_display and not indented)

    def _append(self, paragraph: _Paragraph, line: Line) -> None:
        parts = self._line_parts(line)
        if paragraph.parts and parts and isinstance(parts[0], str):
            last = paragraph.parts[-1]
            if isinstance(last, str):
                paragraph.parts[-1], parts[0] = self._join(last, parts[0])
            else:
                parts[0] = " " + parts[0]
        paragraph.lines.append(line)
        paragraph.parts += parts

    def _join(self, before: str, after: str) -> tuple[str, str]:
        """Two lines' texts as one: a word hyphenated across them joined (see above)."""
        before, after = before.rstrip(), after.lstrip()
        if before.endswith("-") and before[-2:-1].isalpha() and after[:1].islower():
            head = _WORD.findall(before.casefold())[-1].rstrip("-")
            tail = _WORD.match(after.casefold())
            tail_word = tail.group() if tail else ""
            joined, hyphened = head + tail_word, f"{head}-{tail_word}"
            if self.spellings[hyphened] > self.spellings[joined]:
                return before, after
            return before[:-1], after
        if before.endswith(("—", "–")) or after.startswith(("—", "–")):
            return before, after
        return before + " ", after

    def _line_parts(self, line: Line) -> list[str | _Ref]:
        parts: list[str | _Ref] = []
        for run in line.runs:
            ident = self.note_ids.get((line.page, run.text.strip()))
            if ident and is_raised_mark(run, line):
                parts.append(_Ref(run.text.strip(), ident))
            elif parts and isinstance(parts[-1], str):
                parts[-1] += run.text
            else:
                parts.append(run.text)
        return parts

    def _block(self, paragraph: _Paragraph) -> Block:
        builder = InlineBuilder()
        for part in paragraph.parts:
            if isinstance(part, _Ref):
                builder.noteref(part.label, part.ident)
            else:
                builder.add_text(part)
        text, html = builder.result()
        size = max(line.size for line in paragraph.lines)
        capitals = (
            len(paragraph.lines) == 1
            and not any(ch.islower() for ch in text)
            and re.search(r"[^\W\d_]{3,}", text)
            and len(text.split()) <= 12
        )
        if text and (paragraph.heading or capitals):
            title = chapter_title(text)
            limits.charge_passage(title)
            return Block("heading", *_plain(title), level=-round(size), title=title)
        limits.charge_passage(text)
        return Block("paragraph", text, html)
