"""Saving readings: a parsed text becomes rows in one transaction, and re-imports keep keys.

Every write here is a handful of bulk queries whatever the length of the text; passage HTML
arrives ready to render from the importer and is stored as is.

Passage keys (`#p-<key>` permalinks) are derived from the passage's content hash, so that the
same file imported twice gets the same keys; a re-import matches new passages to old ones
(exact matches by content hash with difflib's SequenceMatcher, then fuzzy matches between
neighbours) and keeps the old keys of matched passages. Added passages get fresh keys, never
one the reading has used before in this import.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import transaction
from django.db.models import Sum
from django.utils.text import slugify
from rapidfuzz.distance import Indel

from .importers.base import PASSAGE_KINDS, ParsedReading, ReadingImportError
from .models import Chapter, ChapterKind, Passage, Reading, content_hash, count_words
from .signals import PassageChange, passages_changed

KEY_LENGTH = 8
# Two passages whose texts are at least this similar (0..1) are "the same passage, edited".
FUZZY_THRESHOLD = 0.6
# How far ahead to look for the fuzzy partner of a passage inside a changed stretch.
FUZZY_WINDOW = 40
BATCH_SIZE = 500
# Slugs that would collide with the library's own URLs.
RESERVED_SLUGS = {"new"}


def summarize(parsed: ParsedReading) -> dict:
    """What a parsed text contains: used by `import_reading --json` and the import previews."""
    return {
        "title": parsed.title,
        "author": parsed.author,
        "title_from_file_name": parsed.title_from_file_name,
        "chapters": [
            {
                "title": chapter.title,
                "kind": chapter.kind or "main",
                "passages": len(chapter.passages),
                "words": sum(count_words(p.text) for p in chapter.passages),
            }
            for chapter in parsed.chapters
        ],
    }


def make_key(hash_: str, used: set[str]) -> str:
    """A short URL-safe key derived from a content hash, unused in `used` (which it joins)."""
    for n in itertools.count():
        digest = hashlib.blake2b(f"{hash_}:{n}".encode(), digest_size=5).digest()
        key = base64.b32encode(digest).decode("ascii").lower()[:KEY_LENGTH]
        if key not in used:
            used.add(key)
            return key
    raise AssertionError("unreachable")


def unique_slug(text: str) -> str:
    base = slugify(text)[:70].strip("-") or "reading"
    taken = set(Reading.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    if base not in taken:
        return base
    for n in itertools.count(2):
        candidate = f"{base}-{n}"
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable")


def _check(parsed: ParsedReading) -> None:
    if not any(chapter.passages for chapter in parsed.chapters):
        raise ReadingImportError("The file has no text to read.")
    for chapter in parsed.chapters:
        for passage in chapter.passages:
            if passage.kind not in PASSAGE_KINDS:
                raise ReadingImportError(f"Unknown kind of passage: {passage.kind!r}.")


def save_parsed_reading(
    parsed: ParsedReading,
    *,
    title: str | None = None,
    author: str | None = None,
    slug: str | None = None,
    source_note: str | None = None,
    licence: str | None = None,
    created_by=None,
) -> Reading:
    """Save a parsed text as a new Reading: one transaction, chapters and passages in bulk.

    `title`, `author`, `source_note` and `licence` override what the importer found (None
    keeps it); `slug` defaults to the title's, made unique. Nothing is saved if anything fails.
    """
    _check(parsed)
    title = (title or "").strip() or parsed.title.strip() or "Untitled"
    words = [[count_words(p.text) for p in chapter.passages] for chapter in parsed.chapters]
    with transaction.atomic():
        reading = Reading.objects.create(
            title=title,
            slug=unique_slug(slug or title),
            author=parsed.author if author is None else author.strip(),
            source_note=parsed.source_note if source_note is None else source_note,
            licence=parsed.licence if licence is None else licence,
            language=parsed.language or "en",
            source_format=parsed.format,
            created_by=created_by,
        )
        chapters = Chapter.objects.bulk_create(
            [
                Chapter(
                    reading=reading,
                    number=number,
                    title=parsed_chapter.title.strip(),
                    kind=parsed_chapter.kind or ChapterKind.MAIN,
                    word_count=sum(chapter_words),
                )
                for number, (parsed_chapter, chapter_words) in enumerate(
                    zip(parsed.chapters, words, strict=True), 1
                )
            ]
        )
        used: set[str] = set()
        passages = []
        for chapter, parsed_chapter, chapter_words in zip(
            chapters, parsed.chapters, words, strict=True
        ):
            for position, (parsed_passage, passage_words) in enumerate(
                zip(parsed_chapter.passages, chapter_words, strict=True), 1
            ):
                hash_ = content_hash(parsed_passage.text)
                passages.append(
                    Passage(
                        reading=reading,
                        chapter=chapter,
                        position=position,
                        key=make_key(hash_, used),
                        kind=parsed_passage.kind,
                        text=parsed_passage.text,
                        html=parsed_passage.html,
                        content_hash=hash_,
                        word_count=passage_words,
                    )
                )
        Passage.objects.bulk_create(passages, batch_size=BATCH_SIZE)
    return reading


def match_passages(
    old_hashes: list[str], old_texts: list[str], new_hashes: list[str], new_texts: list[str]
) -> dict[int, int]:
    """Map indexes of new passages to the old passages they continue (new index → old index).

    Identical passages are matched in order by their hashes; inside each stretch that changed,
    a new passage is paired with the most similar old passage ahead of the last match (at least
    FUZZY_THRESHOLD alike), so an edited paragraph keeps its key and an inserted one gets none.
    """
    matches: dict[int, int] = {}
    matcher = SequenceMatcher(None, old_hashes, new_hashes, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                matches[j1 + offset] = i1 + offset
        elif tag == "replace":
            low = i1
            for j in range(j1, j2):
                best, best_score = None, FUZZY_THRESHOLD
                for i in range(low, min(i2, low + FUZZY_WINDOW)):
                    score = Indel.normalized_similarity(
                        old_texts[i], new_texts[j], score_cutoff=best_score
                    )
                    if score >= best_score and (best is None or score > best_score):
                        best, best_score = i, score
                if best is not None:
                    matches[j] = best
                    low = best + 1
    return matches


@dataclass
class _New:
    chapter_number: int
    position: int
    kind: str
    text: str
    html: str
    hash: str


def reimport_reading(reading: Reading, parsed: ParsedReading) -> Reading:
    """Replace a reading's text with a new import, keeping the keys of passages that continue.

    Passage rows that continue keep their id and key (so permalinks and whatever refers to
    them survive); chapters are matched by number. When anything changed, the text version
    grows by one and `passages_changed` is sent for passages whose text changed, was added or
    was removed. Re-importing an identical text changes nothing.
    """
    _check(parsed)
    new_items = [
        _New(number, position, p.kind, p.text, p.html, content_hash(p.text))
        for number, chapter in enumerate(parsed.chapters, 1)
        for position, p in enumerate(chapter.passages, 1)
    ]
    with transaction.atomic():
        reading = Reading.objects.select_for_update().get(pk=reading.pk)
        old = list(Passage.objects.in_reading(reading))
        matches = match_passages(
            [p.content_hash for p in old],
            [p.text for p in old],
            [n.hash for n in new_items],
            [n.text for n in new_items],
        )

        # Chapters, by number.
        changed_structure = False
        chapters = {c.number: c for c in Chapter.objects.of(reading)}
        chapter_updates, chapter_creates = [], []
        for number, parsed_chapter in enumerate(parsed.chapters, 1):
            title = parsed_chapter.title.strip()
            kind = parsed_chapter.kind or ChapterKind.MAIN
            words = sum(count_words(p.text) for p in parsed_chapter.passages)
            chapter = chapters.get(number)
            if chapter is None:
                chapter = Chapter(
                    reading=reading, number=number, title=title, kind=kind, word_count=words
                )
                chapter_creates.append(chapter)
                chapters[number] = chapter
            elif (chapter.title, chapter.kind, chapter.word_count) != (title, kind, words):
                chapter.title, chapter.kind, chapter.word_count = title, kind, words
                chapter_updates.append(chapter)
        Chapter.objects.bulk_create(chapter_creates)
        Chapter.objects.bulk_update(chapter_updates, ["title", "kind", "word_count"])
        gone_chapters = [n for n in chapters if n > len(parsed.chapters)]
        changed_structure = bool(chapter_creates or chapter_updates or gone_chapters)

        # Passages.
        used = {p.key for p in old}
        matched_old: set[int] = set()
        updates: list[Passage] = []
        creates: list[Passage] = []
        changes: list[PassageChange] = []
        for j, item in enumerate(new_items):
            chapter = chapters[item.chapter_number]
            i = matches.get(j)
            if i is None:
                creates.append(
                    Passage(
                        reading=reading,
                        chapter=chapter,
                        position=item.position,
                        key=make_key(item.hash, used),
                        kind=item.kind,
                        text=item.text,
                        html=item.html,
                        content_hash=item.hash,
                        word_count=count_words(item.text),
                    )
                )
                continue
            passage = old[i]
            matched_old.add(i)
            old_row = (passage.chapter_id, passage.position, passage.kind, passage.text)
            new_row = (chapter.pk, item.position, item.kind, item.text)
            if old_row == new_row and passage.html == item.html:
                continue
            if passage.text != item.text:
                changes.append(PassageChange(passage.key, passage.pk, passage.text, item.text))
            passage.chapter = chapter
            passage.position = item.position
            passage.kind = item.kind
            passage.text = item.text
            passage.html = item.html
            passage.content_hash = item.hash
            passage.word_count = count_words(item.text)
            updates.append(passage)
        removed = [p for i, p in enumerate(old) if i not in matched_old]

        if not (changed_structure or updates or creates or removed):
            return reading

        Passage.objects.bulk_update(
            updates,
            ["chapter", "position", "kind", "text", "html", "content_hash", "word_count"],
            batch_size=BATCH_SIZE,
        )
        Passage.objects.bulk_create(creates, batch_size=BATCH_SIZE)
        changes += [PassageChange(p.key, p.pk, None, p.text) for p in creates]
        changes += [PassageChange(p.key, p.pk, p.text, None) for p in removed]

        old_version = reading.text_version
        reading.bump_text_version()
        if changes:
            passages_changed.send(
                sender=Reading,
                reading=reading,
                old_version=old_version,
                new_version=reading.text_version,
                changes=changes,
            )
        _delete_in_batches(Passage, [p.pk for p in removed])
        if gone_chapters:
            Chapter.objects.filter(reading=reading, number__gt=len(parsed.chapters)).delete()
    return reading


def _delete_in_batches(model, pks: Iterable[int]) -> None:
    pks = list(pks)
    for start in range(0, len(pks), BATCH_SIZE):
        model.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).delete()


def edit_passage(passage: Passage, *, text: str | None = None, kind: str | None = None) -> Passage:
    """Change one passage's text and/or kind by hand (the admin's edit).

    A new text rebuilds the HTML keeping the inline markup (emphasis, note references and
    back-links) wherever the edit did not touch it, recomputes the hash and word counts and
    sends `passages_changed`. Any change — text, kind, and with the text its HTML — grows the
    reading's text version, so every page cached under the old version (a circle's chapter
    bodies) is rebuilt. Saving the same values again changes nothing.
    """
    with transaction.atomic():
        old_text, old_html, old_kind = (
            Passage.objects.select_for_update()
            .values_list("text", "html", "kind")
            .get(pk=passage.pk)
        )
        text = old_text if text is None else text
        kind = old_kind if kind is None else kind
        # The admin's form has already put its values on `passage`: start from the stored row.
        passage.text, passage.html, passage.kind = old_text, old_html, kind
        if (text, kind) == (old_text, old_kind):
            return passage
        if kind not in PASSAGE_KINDS:
            raise ValueError(f"Unknown kind of passage: {kind!r}")
        fields = ["kind"] if kind != old_kind else []
        if text != old_text:
            passage.set_text(text)
            fields += ["text", "html", "content_hash", "word_count"]
        passage.save(update_fields=fields)
        if text != old_text:
            words = Passage.objects.filter(chapter_id=passage.chapter_id).aggregate(
                n=Sum("word_count")
            )
            Chapter.objects.filter(pk=passage.chapter_id).update(word_count=words["n"] or 0)
        reading = Reading.objects.select_for_update().get(pk=passage.reading_id)
        old_version = reading.text_version
        reading.bump_text_version()
        if text != old_text:
            passages_changed.send(
                sender=Reading,
                reading=reading,
                old_version=old_version,
                new_version=reading.text_version,
                changes=[PassageChange(passage.key, passage.pk, old_text, text)],
            )
    return passage


def rename_chapter(chapter: Chapter, title: str, kind: str | None = None) -> Chapter:
    """Give a chapter a new title, and `kind` (front matter, main text, back matter) when
    given (the admin's edit). Its title shows on its neighbours' pages too (previous /
    next), so the reading's text version grows, as for any change to the text, and every
    page cached under the old version is rebuilt."""
    title = title.strip()
    with transaction.atomic():
        old_title, old_kind = (
            Chapter.objects.select_for_update().values_list("title", "kind").get(pk=chapter.pk)
        )
        kind = old_kind if kind is None else kind
        chapter.title, chapter.kind = title, kind
        if (title, kind) == (old_title, old_kind):
            return chapter
        chapter.save(update_fields=["title", "kind"])
        Reading.objects.select_for_update().get(pk=chapter.reading_id).bump_text_version()
    return chapter
