"""Which encoding a file declares for itself, and the codec that reads it.

Declarations are looked for in the file's first bytes read as ASCII, so they are found in
any ASCII-compatible encoding (UTF-8, Latin-1, Windows-1252, ...):

- HTML and XHTML: `<meta charset="iso-8859-1">`, the `http-equiv` form
  `<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">`, and an XML
  declaration `<?xml version="1.0" encoding="iso-8859-1"?>`.
- Plain text and Markdown: a header line such as Project Gutenberg's
  `Character set encoding: ISO-8859-1` (or `Charset:` / `Encoding:`), in the first lines.

Labels are mapped as browsers map them (the WHATWG Encoding Standard): "iso-8859-1",
"latin1" and "us-ascii" all mean Windows-1252, which agrees with Latin-1 except that bytes
0x80–0x9F are the curly quotes and dashes such files really hold. A UTF-16 or UTF-32 label
found by an ASCII scan cannot be true (the scan could not have read it), so it is ignored,
again as browsers do.
"""

from __future__ import annotations

import codecs
import re

# How far into a file a declaration is looked for.
HTML_SCAN_BYTES = 4096
TEXT_SCAN_LINES = 60

_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([\w.:-]+)["']""", re.I)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_TEXT_DECLARATION = re.compile(
    r"^[ \t]*(?:character[ \t]+set[ \t]+encoding|charset|encoding)[ \t]*:[ \t]*([\w.:-]+)[ \t]*$",
    re.I | re.M,
)
_WINDOWS_1252_LABELS = {"latin_1", "ascii", "cp1252"}


def codec_for(label: str) -> str | None:
    """The Python codec for an encoding label, or None when the label names none we can use."""
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    name = name.replace("-", "_")
    if name.startswith(("utf_16", "utf_32")):
        return None
    if name in _WINDOWS_1252_LABELS or name == "iso8859_1":
        return "cp1252"
    return name


def declared_in_html(data: bytes) -> str:
    """The label an HTML or XHTML document declares (XML declaration first), or ""."""
    head = data[:HTML_SCAN_BYTES].lstrip(codecs.BOM_UTF8)
    if match := _XML_DECLARATION.match(head):
        return match.group(1).decode("ascii")
    if match := _META_CHARSET.search(head):
        return match.group(1).decode("ascii")
    return ""


def declared_in_text(data: bytes) -> str:
    """The label a plain-text header declares ("Character set encoding: ISO-8859-1"), or ""."""
    lines = data[: HTML_SCAN_BYTES * 4].split(b"\n", TEXT_SCAN_LINES)[:TEXT_SCAN_LINES]
    head = b"\n".join(lines).decode("ascii", errors="replace")
    match = _TEXT_DECLARATION.search(head)
    return match.group(1) if match else ""


def _as_latin_1(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("readings-latin-1", _as_latin_1)


def decode_as(data: bytes, codec: str) -> str:
    """`data` in `codec`; Windows-1252's five unassigned bytes are read as Latin-1 (C1
    controls, which the importers drop), as browsers do. Raises UnicodeDecodeError."""
    if codec == "cp1252":
        return data.decode("cp1252", errors="readings-latin-1")
    return data.decode(codec)
