"""Bytes → str for the text formats, with one clear error for each kind of bad input."""

from __future__ import annotations

import codecs
from contextlib import suppress

from .base import ReadingImportError
from .charsets import codec_for, decode_as

MB = 1024 * 1024


def _unit(count: int) -> tuple[int, str]:
    if count < 1024:
        return 1, "bytes"
    if count < MB / 10:
        return 1024, "kB"
    return MB, "MB"


def human_size(count: int, unit: tuple[int, str] | None = None, decimals: int | None = None) -> str:
    """A size for people: "20 MB" (of 1,048,576 bytes, as the setting's default is 20 MB),
    "1.5 MB", "49 kB"; whole numbers from 10 up."""
    scale, name = unit or _unit(count)
    value = count / scale
    if decimals is None:
        decimals = 0 if value >= 10 or scale == 1 else 1
    shown = f"{value:.{decimals}f}"
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return f"{shown} {name}"


def too_large_message(size: int, limit: int) -> str:
    """The one message for a file over the limit, wherever it is caught: both sizes in the
    limit's unit, the file's with enough decimals to differ from the limit."""
    unit = _unit(limit)
    allowed = human_size(limit, unit)
    shown = human_size(size, unit)
    for decimals in (1, 2, 3):
        if shown != allowed:
            break
        shown = human_size(size, unit, decimals)  # 20.3 MB over a 20 MB limit, not "20 MB"
    if shown == allowed:
        shown = f"over {allowed}"
    return f"The file is too large ({shown}); the limit is {allowed}."


def check_size(data: bytes, max_bytes: int | None) -> None:
    if max_bytes is not None and len(data) > max_bytes:
        raise ReadingImportError(too_large_message(len(data), max_bytes))


def check_not_empty(data: bytes) -> None:
    if not data.strip() or data.strip() in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE):
        raise ReadingImportError("The file is empty.")


def decode_text(data: bytes, declared: str = "") -> str:
    """Decode a text file (`decode_bytes`); newlines become "\\n". Empty files and binary
    ones (NUL bytes without a UTF-16 byte-order mark, or many control characters) are refused.
    """
    check_not_empty(data)
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in data and not utf16:
        raise ReadingImportError(
            "The file looks binary (it contains NUL bytes), not text; "
            "upload a .txt, .md, .html, .epub or .pdf file."
        )
    text = decode_bytes(data, declared)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\t\f")
    if controls > 8:
        raise ReadingImportError(
            "The file looks binary (it is full of control characters), not text; "
            "upload a .txt, .md, .html, .epub or .pdf file."
        )
    if not text.strip():
        raise ReadingImportError("The file is empty.")
    return text


def decode_bytes(data: bytes, declared: str = "") -> str:
    """Bytes → str, trying in order: the encoding the file declares (`declared`, a label found
    by `charsets.declared_in_html` or `declared_in_text`), a byte-order mark (UTF-8 or
    UTF-16), then UTF-8. When none of them reads the file it is refused with a message naming
    the first bad byte rather than guessed: a wrong guess would silently corrupt the text
    readers annotate. A leading BOM is dropped.
    """
    codec = codec_for(declared) if declared else None
    if codec is not None:
        with suppress(UnicodeDecodeError):
            return decode_as(data, codec).lstrip("\ufeff")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError as error:
            raise ReadingImportError(
                "The file starts like UTF-16 but is not valid UTF-16; "
                "save it as UTF-8 and try again."
            ) from error
    try:
        return data.decode("utf-8-sig").lstrip("\ufeff")
    except UnicodeDecodeError as error:
        raise ReadingImportError(_undecodable(data, error, declared, codec)) from error


def _undecodable(data: bytes, error: UnicodeDecodeError, declared: str, codec: str | None) -> str:
    bad = f"byte 0x{data[error.start]:02X} at position {error.start}"
    if declared and codec is None:
        return (
            f"The file declares the encoding “{declared}”, which is not one we know, and it is "
            f"not valid UTF-8 either ({bad}); save it as UTF-8 and try again."
        )
    if declared and codec != "utf_8":
        return (
            f"The file declares the encoding “{declared}” but cannot be read as it, and it is "
            f"not valid UTF-8 either ({bad}); save it as UTF-8 and try again."
        )
    return f"The file is not valid UTF-8 ({bad}); save it as UTF-8 and try again."
