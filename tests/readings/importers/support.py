"""Helpers for the importer tests: HTML text content, tiny EPUBs, the shared texts."""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from readings.importers import ParsedReading

REPO = next(p for p in Path(__file__).resolve().parents if (p / "manage.py").exists())
FIXTURES = REPO / "tests" / "fixtures" / "importers"
DEMO_DATA = REPO / "readings" / "demo_data"
SHARED_TEXTS = REPO / ".." / "shared" / "texts"
ALLOWED_TAGS = {"em", "strong", "a", "sup", "sub", "code", "span", "br"}


class _TextContent(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_content(html: str) -> str:
    """The text a browser would show for `html`: entities unescaped, text nodes joined."""
    parser = _TextContent()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def tags_in(html: str) -> set[str]:
    parser = _TextContent()
    parser.feed(html)
    parser.close()
    return parser.tags


def assert_invariant(reading: ParsedReading) -> None:
    for chapter in reading.chapters:
        for passage in chapter.passages:
            assert text_content(passage.html) == passage.text
            assert tags_in(passage.html) <= ALLOWED_TAGS
            assert passage.text == passage.text.strip()
            if passage.kind != "verse":
                assert "\n" not in passage.text and "  " not in passage.text


def shared_text(name: str) -> bytes:
    path = SHARED_TEXTS / name
    if not SHARED_TEXTS.is_dir():
        pytest.skip(f"../shared/texts/ is absent: {name} is not available here")
    return path.read_bytes()


def titles(reading: ParsedReading) -> list[str]:
    return [chapter.title for chapter in reading.chapters]


CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>"""


def make_epub(
    documents: list[tuple[str, str]],
    title: str = "A Small Book",
    creators: tuple[str, ...] = ("Ann Author",),
    nav: bool = True,
    metadata: str = "",
    encoding: str = "utf-8",
) -> bytes:
    """An EPUB 3 whose spine is `documents`: (file name, XHTML body content); `metadata` is
    more OPF metadata (dc:rights, dc:source, ...); the documents are written in `encoding`,
    which their XML declarations name."""
    manifest = []
    spine = []
    for index, (name, _) in enumerate(documents):
        manifest.append(
            f'<item id="d{index}" href="text/{name}" media-type="application/xhtml+xml"/>'
        )
        spine.append(f'<itemref idref="d{index}"/>')
    if nav:
        manifest.append(
            '<item id="nav" href="toc.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        )
        spine.insert(0, '<itemref idref="nav"/>')
    creator_xml = "".join(f"<dc:creator>{c}</dc:creator>" for c in creators)
    opf = f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">x</dc:identifier><dc:title>{title}</dc:title>{creator_xml}
    <dc:language>en-GB</dc:language><dc:publisher>Tiny Press</dc:publisher>{metadata}
  </metadata>
  <manifest>{"".join(manifest)}</manifest>
  <spine>{"".join(spine)}</spine>
</package>"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER)
        archive.writestr("OEBPS/content.opf", opf)
        archive.writestr(
            "OEBPS/toc.xhtml",
            '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
            '<body><nav epub:type="toc"><ol><li><a href="text/a.xhtml">A</a></li></ol></nav>'
            "</body></html>",
        )
        for name, body in documents:
            archive.writestr(f"OEBPS/text/{name}", xhtml(body, encoding=encoding).encode(encoding))
    return buffer.getvalue()


def xhtml(body: str, title: str = "Doc", encoding: str = "utf-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>{title}</title></head>{body}</html>"
    )
