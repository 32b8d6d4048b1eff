"""Inline text and HTML built side by side, so that the invariant holds by construction.

Every importer feeds text and inline tags into an `InlineBuilder`; the builder writes each
piece of text once into `text` and once, HTML-escaped, into `html`. Whitespace is normalised
as it arrives: runs of whitespace become one space (or, in verse, one or two newlines) and
the ends are stripped. Note references and note backlinks are written into `html` as
placeholders that `readings.importers.notes.link_notes` turns into links once the chapters
are known.
"""

from __future__ import annotations

import re
from html import escape

# Characters that never belong in passage text. NUL, STX and SOH are used by the note
# placeholders below, so stripping them also keeps the placeholders unambiguous.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"(\s*\n\s*)")
_LABEL_ID = re.compile(r"[^A-Za-z0-9_-]+")

REF_MARK = "\x00R"
BACK_MARK = "\x00N"
MARK_SEP = "\x02"
MARK_END = "\x01"

ALLOWED_TAGS = frozenset({"em", "strong", "a", "sup", "sub", "code", "span", "br"})
SAFE_HREF = re.compile(r"^(?:https?://|mailto:|#|/(?!/)|\.\.?/)", re.IGNORECASE)


def collapse(value: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends."""
    return " ".join(_CONTROL.sub("", value).split())


def label_id(label: str) -> str:
    """A note label made safe for an HTML id (`note-<id>`)."""
    return _LABEL_ID.sub("-", label).strip("-") or "x"


class InlineBuilder:
    """Collects one passage's `text` and inline `html` in step.

    `verse=True` keeps line breaks: a whitespace run holding newlines becomes "\\n" (or
    "\\n\\n" for a stanza break) in both text and html; the chapter template shows verse
    with `white-space: pre-line`, so no `<br>` is needed and the invariant stays exact.
    `preformatted=True` (code) keeps every space, tab and newline as it is, but for the
    whitespace that opens and closes the passage.
    """

    def __init__(self, verse: bool = False, preformatted: bool = False) -> None:
        self.verse = verse or preformatted
        self.preformatted = preformatted
        self._text: list[str] = []
        self._html: list[str] = []
        self._pending = ""
        self._open: list[str] = []
        self._slot: int | None = None  # where a pending space goes, before opened tags

    @property
    def empty(self) -> bool:
        return not self._text

    def add_text(self, value: str) -> None:
        if not value:
            return
        value = _CONTROL.sub("", value)
        if self.preformatted:
            self._add_preformatted(value.replace("\r\n", "\n").replace("\r", "\n"))
            return
        if self.verse and "\n" in value:
            for index, part in enumerate(_LINE_BREAKS.split(value)):
                if index % 2:
                    self._note_space(part)
                else:
                    self._add_line(part)
        else:
            self._add_line(value)

    def _add_preformatted(self, value: str) -> None:
        if not self._text:
            value = value.lstrip()
        core = value.rstrip()
        if core:
            if self._pending and self._text:
                self._text.append(self._pending)
                self._html.append(self._pending)
            self._pending = ""
            self._text.append(core)
            self._html.append(escape(core, quote=False))
        self._pending += value[len(core) :]

    def _add_line(self, value: str) -> None:
        if not value:
            return
        if value[0].isspace():
            self._note_space(" ")
        core = " ".join(value.split())
        if core:
            self._emit(core, escape(core, quote=False))
            if value[-1].isspace():
                self._note_space(" ")

    def _note_space(self, space: str) -> None:
        if self.verse and "\n" in space:
            breaks = "\n\n" if space.count("\n") > 1 else "\n"
            if len(breaks) > len(self._pending) or self._pending == " ":
                self._pending = breaks
        elif not self._pending:
            self._pending = " "

    def _flush_space(self) -> None:
        if self._pending and self._text:
            self._text.append(self._pending)
            if self._slot is None:
                self._html.append(self._pending)
            else:
                self._html.insert(self._slot, self._pending)
        self._pending = ""
        self._slot = None

    def _emit(self, text: str, html: str) -> None:
        self._flush_space()
        self._text.append(text)
        self._html.append(html)

    def open(self, tag: str, **attrs: str) -> None:
        """Open an inline tag (one of ALLOWED_TAGS); attribute values are escaped here."""
        assert tag in ALLOWED_TAGS, tag
        rendered = "".join(
            f' {name.rstrip("_").replace("_", "-")}="{escape(value, quote=True)}"'
            for name, value in attrs.items()
        )
        if self._pending and self._text and self._slot is None:
            self._slot = len(self._html)
        self._html.append(f"<{tag}{rendered}>")
        self._open.append(tag)

    def close(self, tag: str) -> None:
        if tag in self._open:
            self._slot = None
            while self._open:
                last = self._open.pop()
                self._html.append(f"</{last}>")
                if last == tag:
                    break

    def link(self, href: str) -> bool:
        """Open an `<a>` for a safe href; returns whether it did (close it with close("a"))."""
        href = href.strip()
        if not href or not SAFE_HREF.match(href):
            return False
        self.open("a", href=href)
        return True

    def noteref(self, label: str, ident: str = "") -> None:
        """A note reference: the label stays in the text; linking happens in link_notes.

        `ident` (default: the label) names the note in ids: `note-<ident>`."""
        label = collapse(label)
        if not label:
            return
        ident = label_id(ident or label)
        html = f"{REF_MARK}{ident}{MARK_SEP}{escape(label, quote=False)}{MARK_END}"
        self._emit(label, html)

    def noteback(self, label: str, ident: str = "") -> None:
        """The start of a note: "<label>." linked back to its reference by link_notes."""
        label = collapse(label)
        if not label:
            return
        shown = f"{label}."
        html = (
            f"{BACK_MARK}{label_id(ident or label)}{MARK_SEP}{escape(shown, quote=False)}{MARK_END}"
        )
        self._emit(shown, html)
        self._pending = " "

    def result(self) -> tuple[str, str]:
        """The finished (text, html); open tags are closed, trailing whitespace dropped."""
        while self._open:
            self._html.append(f"</{self._open.pop()}>")
        self._pending = ""
        return "".join(self._text), "".join(self._html)


def plain(text: str) -> tuple[str, str]:
    """(text, html) for a string with no markup."""
    builder = InlineBuilder()
    builder.add_text(text)
    return builder.result()
