"""A minimal PDF writer for the tests and the benchmark: pages of text in Helvetica (a font
every PDF reader knows, so nothing is embedded), an outline, document information.

Enough to make the structures the PDF importer must read — running headers, page numbers,
hyphenated line ends, paragraphs across pages, footnotes with raised marks, bookmarks —
with text whose every word is known. `book_pdf` lays out a small book with all of them.
"""

from __future__ import annotations

import textwrap
import zlib
from dataclasses import dataclass, field

WIDTH, HEIGHT = 612, 792
LEFT, TOP, BOTTOM = 72, 720, 90


def _escape(text: str) -> bytes:
    data = text.encode("cp1252")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


@dataclass
class Page:
    items: list[tuple[float, float, float, str]] = field(default_factory=list)

    def text(self, x: float, y: float, size: float, text: str) -> None:
        self.items.append((x, y, size, text))

    def stream(self) -> bytes:
        parts = []
        for x, y, size, text in self.items:
            parts.append(
                b"BT /F1 %s Tf %s %s Td (%s) Tj ET"
                % (str(size).encode(), str(x).encode(), str(y).encode(), _escape(text))
            )
        return b"\n".join(parts)


@dataclass
class Bookmark:
    title: str
    page: int
    top: float | None = None
    children: list[Bookmark] = field(default_factory=list)


def build_pdf(
    pages: list[Page], outline: list[Bookmark] = (), info: dict[str, str] | None = None
) -> bytes:
    """The PDF file's bytes: `pages` in order, `outline` as its bookmarks."""
    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def reserve() -> int:
        return add(b"")

    catalog, pages_id = reserve(), reserve()
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    page_ids = []
    for page in pages:
        data = zlib.compress(page.stream())
        content = add(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)
        )
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> >> >>"
                % (pages_id, WIDTH, HEIGHT, content, font)
            )
        )
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))

    outline_ref = b""
    if outline:
        root = reserve()

        def write(marks: list[Bookmark], parent: int) -> tuple[int, int, int]:
            ids = [reserve() for _ in marks]
            count = 0
            for index, (mark, ident) in enumerate(zip(marks, ids, strict=True)):
                top = b"null" if mark.top is None else str(mark.top).encode()
                fields = [
                    b"/Title (%s)" % _escape(mark.title),
                    b"/Parent %d 0 R" % parent,
                    b"/Dest [%d 0 R /XYZ 0 %s null]" % (page_ids[mark.page], top),
                ]
                if index > 0:
                    fields.append(b"/Prev %d 0 R" % ids[index - 1])
                if index + 1 < len(ids):
                    fields.append(b"/Next %d 0 R" % ids[index + 1])
                if mark.children:
                    first, last, inner = write(mark.children, ident)
                    fields += [b"/First %d 0 R" % first, b"/Last %d 0 R" % last]
                    fields.append(b"/Count %d" % inner)
                    count += inner
                objects[ident - 1] = b"<< " + b" ".join(fields) + b" >>"
                count += 1
            return ids[0], ids[-1], count

        first, last, count = write(list(outline), root)
        objects[root - 1] = b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (
            first,
            last,
            count,
        )
        outline_ref = b" /Outlines %d 0 R /PageMode /UseOutlines" % root
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R%s >>" % (pages_id, outline_ref)
    info_ref = b""
    if info:
        entries = b" ".join(b"/%s (%s)" % (k.encode(), _escape(v)) for k, v in info.items())
        info_ref = b" /Info %d 0 R" % add(b"<< " + entries + b" >>")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        info_ref,
        xref,
    )
    return bytes(out)


# --- A small book ---------------------------------------------------------------------------

BOOK_TITLE = "THE WINTER HARBOUR"
CHAPTERS = [
    (
        ("CHAPTER I", "Chapter I"),
        "THE LANTERN",
        [
            "The lantern on the harbour wall was lit every evening at six, whatever the "
            "weather, and it had been lit so for longer than anyone in the town could "
            "remember, even the oldest of the net menders who sat by the slipway.",
            "Old Tobias climbed the iron ladder with the oil can in one hand and the long "
            "match in the other, and the gulls moved aside for him as if they knew his "
            "business and respected it more than the harbourmaster did.",
            "Nobody thanked him for it. The fishing boats came home by its light and the "
            "children counted the seconds between its flashes, and that, he said, was "
            "thanks enough for any man who had kept a light for forty winters.",
        ],
    ),
    (
        ("CHAPTER II", "Chapter II"),
        "THE STORM",
        [
            "When the storm came it came from the east, and the harbour filled with white "
            "water long before the boats were half way home from the banks.",
            "Tobias lit the lantern at four that day, two hours early, and stood beside it "
            "until the last boat was in, though the spray froze on his coat and the ladder "
            "shook under him like a reed.",
        ],
    ),
]
FOOTNOTE = "The lantern was taken down in 1921 and is now in the town museum."


class _Layout:
    """Lines placed down short pages; every page but a chapter's first has a running header
    with the page's number and the number again at its foot."""

    def __init__(self, header: str) -> None:
        self.pages: list[Page] = []
        self.header = header
        self.y = 0.0
        self.new_page(chapter_start=True)

    def new_page(self, chapter_start: bool = False) -> None:
        self.pages.append(Page())
        number = len(self.pages)
        if not chapter_start:
            self.pages[-1].text(LEFT, 760, 9, f"{self.header} {number}")
            self.pages[-1].text(WIDTH / 2, 50, 9, str(number))
        self.y = TOP

    def line(self, text: str, size: float = 11, x: float = LEFT) -> None:
        if self.y < BODY_BOTTOM:
            self.new_page()
        self.pages[-1].text(x, self.y, size, text)
        self.y -= size * 1.45

    def paragraph(self, text: str, hyphenate: str = "") -> None:
        """`text` wrapped, its first line indented; the first `hyphenate` (a word) that is
        not on the last line is broken across two: at its own hyphen ("well-" / "known"),
        else after its third letter ("har-" / "bourmaster")."""
        lines = textwrap.wrap(text, 70)
        head, _, tail = hyphenate.partition("-")
        head, tail = (head + "-", tail) if tail else (hyphenate[:3] + "-", hyphenate[3:])
        for index, line in enumerate(lines[:-1]):
            if hyphenate and f" {hyphenate}" in line:
                before, after = line.split(f" {hyphenate}", 1)
                lines[index] = f"{before} {head}"
                lines[index + 1] = f"{tail}{after} {lines[index + 1]}"
                break
        for index, line in enumerate(lines):
            self.line(line, x=LEFT + (20 if index == 0 else 0))


BODY_BOTTOM = 600  # short pages, so that a chapter runs onto a second one


def book_pdf(
    outline: bool = True,
    hyphenate: str = "harbourmaster",
    chapters: list[tuple[tuple[str, str], str, list[str]]] = CHAPTERS,
) -> bytes:
    """A small book: a title page, then two chapters, each starting on a new page and
    running onto another (a paragraph goes on over the page break), with running headers,
    page numbers, `hyphenate` broken across two lines ("har-" / "bourmaster") and a
    footnote marked in the text with a raised "1"."""
    layout = _Layout(BOOK_TITLE)
    layout.line(BOOK_TITLE, size=24, x=150)
    layout.line("by Ann Author", size=14, x=230)
    marks = []
    for number, ((label, name), title, paragraphs) in enumerate(chapters):
        layout.new_page(chapter_start=True)
        marks.append(Bookmark(f"{name}: {title.title()}", len(layout.pages) - 1))
        layout.line(label, size=18, x=250)
        layout.line(title, size=18, x=230)
        layout.y -= 20
        for paragraph in paragraphs:
            layout.paragraph(paragraph, hyphenate)
        if number == 0:
            page = layout.pages[-1]
            page.text(LEFT + 300, layout.y + 11 * 1.45 + 4, 7, "1")  # raised, after the line
            page.text(LEFT, 70, 8, f"1 {FOOTNOTE}")
    return build_pdf(
        layout.pages,
        outline=marks if outline else (),
        info={"Title": "The Winter Harbour", "Author": "Ann Author"},
    )
