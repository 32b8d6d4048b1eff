"""Bytes → str for the text formats, with one clear error for each kind of bad input."""

from __future__ import annotations

import codecs

from .base import ReadingImportError


def check_size(data: bytes, max_bytes: int | None) -> None:
    if max_bytes is not None and len(data) > max_bytes:
        size_mb = len(data) / 1_000_000
        limit_mb = max_bytes / 1_000_000
        raise ReadingImportError(
            f"The file is too large ({size_mb:.1f} MB); the limit is {limit_mb:g} MB."
        )


def check_not_empty(data: bytes) -> None:
    if not data.strip() or data.strip() in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE):
        raise ReadingImportError("The file is empty.")


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (a BOM is dropped) or BOM-marked UTF-16; newlines become "\\n".

    Other encodings are refused with a message naming the first bad byte rather than
    guessed: a wrong guess would silently corrupt the text readers annotate.
    """
    check_not_empty(data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ReadingImportError(
                "The file starts like UTF-16 but is not valid UTF-16; "
                "save it as UTF-8 and try again."
            ) from error
    else:
        if b"\x00" in data:
            raise ReadingImportError(
                "The file looks binary (it contains NUL bytes), not text; "
                "upload a .txt, .md, .html or .epub file."
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            bad = data[error.start]
            raise ReadingImportError(
                f"The file is not valid UTF-8 (byte 0x{bad:02X} at position {error.start}); "
                "save it as UTF-8 and try again."
            ) from error
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\t\f")
    if controls > 8:
        raise ReadingImportError(
            "The file looks binary (it is full of control characters), not text; "
            "upload a .txt, .md, .html or .epub file."
        )
    if not text.strip():
        raise ReadingImportError("The file is empty.")
    return text
