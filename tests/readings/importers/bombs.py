"""Hostile archives built on the fly, cheaply: gigabytes of content in a few megabytes.

A raw deflate stream may be cut into pieces with a full flush, after which nothing refers
back: the compressed bytes of one piece can be repeated as often as wanted. So a member that
inflates to 2 GiB costs one 16 MiB compression and a byte-string repetition, and the zip is
written by hand (local headers, central directory, end record), which also lets a test make
the central directory lie about a member's size.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

MiB = 1024 * 1024


def _flushed(data: bytes) -> bytes:
    """`data` as raw deflate blocks ending byte-aligned, with no reference to anything
    before or after them (so they can be repeated or put next to other pieces)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


_FINAL = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)


@dataclass
class Member:
    name: str
    compressed: bytes
    size: int  # uncompressed
    crc: int
    stored: bool = False
    declared_size: int | None = None  # what the central directory says, when it lies


def deflated(name: str, pieces: list[tuple[bytes, int]], crc: bool = True) -> Member:
    """A member whose content is each (bytes, times) piece repeated, deflated. Its CRC is
    computed only when `crc` (a member nobody reads to the end needs none)."""
    compressed: list[bytes] = []
    checksum = 0
    for piece, times in pieces:
        # Compress about a megabyte of repetitions once, then repeat the compressed bytes.
        per_unit = max(1, min(times, MiB // max(1, len(piece))))
        full, rest = divmod(times, per_unit)
        units = [(piece * per_unit, full), (piece * rest, 1 if rest else 0)]
        for unit, count in units:
            compressed.append(_flushed(unit) * count)
            if crc:
                for _ in range(count):
                    checksum = zlib.crc32(unit, checksum)
    size = sum(len(piece) * times for piece, times in pieces)
    return Member(name, b"".join(compressed) + _FINAL, size, checksum)


def stored(name: str, data: bytes) -> Member:
    return Member(name, data, len(data), zlib.crc32(data), stored=True)


def write_zip(members: list[Member]) -> bytes:
    """A zip archive of `members`, written by hand (no zip64: sizes below 4 GiB)."""
    out = bytearray()
    central = bytearray()
    for member in members:
        name = member.name.encode()
        method = 0 if member.stored else 8
        offset = len(out)
        declared = member.size if member.declared_size is None else member.declared_size
        out += struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50, 20, 0, method, 0, 0x21, member.crc,
            len(member.compressed), declared, len(name), 0,
        )  # fmt: skip
        out += name + member.compressed
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50, 20, 20, 0, method, 0, 0x21, member.crc,
            len(member.compressed), declared, len(name), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += name
    start = len(out)
    out += central
    out += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0
    )
    return bytes(out)


CONTAINER = (
    b'<?xml version="1.0"?><container version="1.0" '
    b'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    b'<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    b"</rootfiles></container>"
)


def opf(documents: list[str]) -> bytes:
    items = "".join(
        f'<item id="d{i}" href="{name}" media-type="application/xhtml+xml"/>'
        for i, name in enumerate(documents)
    )
    refs = "".join(f'<itemref idref="d{i}"/>' for i in range(len(documents)))
    return (
        '<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" '
        'version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>Hostile</dc:title></metadata>"
        f"<manifest>{items}</manifest><spine>{refs}</spine></package>"
    ).encode()


HEAD = b'<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>A chapter</h1>'
TAIL = b"</body></html>"


def chapter(name: str, body: bytes, times: int, crc: bool = True) -> Member:
    """An XHTML document whose body is `body` repeated `times` times, deflated."""
    return deflated(f"OEBPS/{name}", [(HEAD, 1), (body, times), (TAIL, 1)], crc=crc)


def epub(members: list[Member], mimetype: Member | None = None) -> bytes:
    """An EPUB of `members` (XHTML documents under OEBPS/, all in the spine)."""
    documents = [m.name.removeprefix("OEBPS/") for m in members]
    return write_zip(
        [
            mimetype or stored("mimetype", b"application/epub+zip"),
            stored("META-INF/container.xml", CONTAINER),
            stored("OEBPS/content.opf", opf(documents)),
            *members,
        ]
    )


def pdf_stream_bomb(mebibytes: int) -> bytes:
    """A one-page PDF whose content stream (FlateDecode) inflates to `mebibytes` MiB."""
    deflated_zeros = _flushed(bytes(16 * MiB)) * max(1, mebibytes // 16) + _FINAL
    stream = b"\x78\x9c" + deflated_zeros + b"\x00\x00\x00\x00"  # zlib's header and trailer
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
