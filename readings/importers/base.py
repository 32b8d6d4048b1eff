"""The shape every importer returns: a plain `ParsedReading`, free of Django models.

Importers are pure functions of bytes/str → `ParsedReading`. Saving it is the job of
`readings.services`.

Passage HTML is inline markup only (em, strong, a, sup, sub, code, span, br are the tags
used); its text content equals `text` character for character. Note references point at
`#note-<label>` and notes back at `#noteref-<label>`; when a note sits in another chapter the
href is relative to the chapter URL (`../<chapter number>/#note-<label>`), which works both in
the library reader and in a circle's reader because both end in `<reading>/<chapter>/`.

Whitespace: `text` has runs of whitespace collapsed to one space and no leading or trailing
space. Verse is the exception: its line breaks stay "\n" (a stanza break "\n\n") in both
`text` and `html`, and no `<br>` is emitted, so the invariant holds exactly; the chapter
template shows verse passages with `white-space: pre-line`. Code (a verse passage whose html
is one `<code>`: a Markdown fence, a web article's `<pre>`) keeps every space as well.

Notes: a reference is `<sup><a class="noteref" id="noteref-N" href="#note-N"
role="doc-noteref">N</a></sup>` (only the first reference to N has the id); a note passage
(kind "note") starts with `<a class="noteback" id="note-N" href="#noteref-N"
role="doc-backlink">N.</a>`, or `<span class="noteback" id="note-N">N.</span>` when nothing
refers to it. A reference to a missing note stays plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PASSAGE_KINDS = ("paragraph", "heading", "quote", "verse", "list_item", "note")


class ReadingImportError(ValueError):
    """Bad input: the message names the problem in words a person can act on."""


@dataclass
class ParsedPassage:
    kind: str
    text: str
    html: str


@dataclass
class ParsedChapter:
    """`kind` is "front" (front matter: preface, introduction ...), "main" or "back" (notes,
    appendix, index ...); an importer that knows it sets it, else `structure.finish` decides
    from the titles (`matter.classify`)."""

    title: str
    passages: list[ParsedPassage] = field(default_factory=list)
    kind: str = ""


@dataclass
class ParsedReading:
    title: str
    chapters: list[ParsedChapter]
    author: str = ""
    language: str = "en"
    source_note: str = ""
    licence: str = ""
    format: str = ""
    # True when the file names no title anywhere and `title` was made from the file name
    # (or the first words): the preview says so and asks for one.
    title_from_file_name: bool = False
