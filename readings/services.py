"""Saving readings: a parsed text becomes rows in one transaction, and re-imports keep keys.

Every write here is a handful of bulk queries whatever the length of the text; passage HTML
arrives ready to render from the importer and is stored as is.

Passage keys (`#p-<key>` permalinks) are derived from the passage's content hash, so that the
same file imported twice gets the same keys; a re-import aligns the old and new text and keeps
the rows (and keys) of the passages and chapters that continue (`readings.reimport_plan`).
Added passages get fresh keys, never one the reading has used before in this import.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Sum
from django.utils.text import slugify

from .alignment import align
from .continuity import pair_passages
from .importers.base import PASSAGE_KINDS, ParsedReading, ReadingImportError
from .models import (
    Chapter,
    ChapterKind,
    Passage,
    Reading,
    ReadingProgress,
    content_hash,
    count_words,
)
from .reimport_plan import OldChapter, ReimportPlan, plan_reimport
from .signals import ChapterChange, PassageChange, merge_reports, passages_changed

KEY_LENGTH = 8
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

    The rule is `readings.continuity.pair_passages` over the alignment of the old and new
    text (`readings.alignment`): an edited paragraph keeps its key, the larger half of a split
    one keeps it, an inserted or rewritten one gets none. (The hashes are not needed: the
    alignment pairs identical passages first.)
    """
    alignment = align(list(enumerate(old_texts)), list(enumerate(new_texts)))
    return pair_passages(
        alignment,
        {i: len(text) for i, text in enumerate(old_texts)},
        {j: len(text) for j, text in enumerate(new_texts)},
    )


@dataclass
class _New:
    chapter_index: int
    position: int
    kind: str
    text: str
    html: str
    hash: str


@dataclass
class Reimport:
    """What a re-import did: the reading, whether anything changed, the chapters before and
    after, counts of passages kept (same text), changed, added and removed, and the reports
    the receivers of `passages_changed` returned (merged by section)."""

    reading: Reading
    changed: bool
    chapters: list[ChapterChange] = field(default_factory=list)
    passages: dict[str, int] = field(default_factory=dict)
    reports: dict = field(default_factory=dict)


def reimport_reading(reading: Reading, parsed: ParsedReading) -> Reading:
    """Replace a reading's text with a new import (see `reimport`); returns the reading."""
    return reimport(reading, parsed).reading


def reimport(reading: Reading, parsed: ParsedReading) -> Reimport:
    """Replace a reading's text with a new import, keeping the rows that continue.

    The old and new text are aligned (`readings.reimport_plan`): a new passage that continues
    an old one keeps its row and key (so permalinks and whatever refers to it survive), a new
    chapter that continues an old one keeps its row, whatever its new number (an edition that
    adds a preface renumbers the chapters; their ids, permalinks by number and sessions' ranges
    follow the text). When anything changed, the text version grows by one and
    `passages_changed` is sent with the changes, the alignment and the chapters before and
    after; then removed passages and chapters are deleted. Re-importing an identical text
    changes nothing.
    """
    _check(parsed)
    new_items = [
        _New(index, position, p.kind, p.text, p.html, content_hash(p.text))
        for index, chapter in enumerate(parsed.chapters)
        for position, p in enumerate(chapter.passages, 1)
    ]
    with transaction.atomic():
        reading = Reading.objects.select_for_update().get(pk=reading.pk)
        old_chapters = list(Chapter.objects.of(reading))
        old = list(Passage.objects.in_reading(reading))
        by_chapter: dict[int, list[int]] = {c.pk: [] for c in old_chapters}
        for passage in old:
            by_chapter[passage.chapter_id].append(passage.pk)
        plan = plan_reimport(
            [OldChapter(c.pk, c.title, by_chapter[c.pk]) for c in old_chapters],
            {p.pk: p.text for p in old},
            [(c.title.strip(), [p.text for p in c.passages]) for c in parsed.chapters],
        )
        chapters, chapter_changes, gone_chapters, structure = _save_chapters(
            reading, old_chapters, parsed, plan
        )
        # Passages.
        old_by_id = {p.pk: p for p in old}
        used = {p.key for p in old}
        updates: list[Passage] = []
        creates: list[tuple[int, Passage]] = []
        changes: list[PassageChange] = []
        kept = 0
        for j, item in enumerate(new_items):
            chapter = chapters[item.chapter_index]
            old_id = plan.continues.get(j)
            if old_id is None:
                creates.append(
                    (
                        j,
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
                        ),
                    )
                )
                continue
            passage = old_by_id[old_id]
            old_chapter_id = passage.chapter_id
            if passage.text == item.text:
                kept += 1
            else:
                changes.append(
                    PassageChange(
                        passage.key, passage.pk, passage.text, item.text, old_chapter_id, chapter.pk
                    )
                )
            old_row = (passage.chapter_id, passage.position, passage.kind, passage.text)
            if old_row == (chapter.pk, item.position, item.kind, item.text) and (
                passage.html == item.html
            ):
                continue
            passage.chapter = chapter
            passage.position = item.position
            passage.kind = item.kind
            passage.text = item.text
            passage.html = item.html
            passage.content_hash = item.hash
            passage.word_count = count_words(item.text)
            updates.append(passage)
        continued = set(plan.continues.values())
        removed = [p for p in old if p.pk not in continued]

        if not (structure or updates or creates or removed):
            return Reimport(reading, False, chapter_changes, _counts(kept, [], [], []))

        _update_passages(updates)
        Passage.objects.bulk_create([p for _, p in creates], batch_size=BATCH_SIZE)
        changes += [
            PassageChange(p.key, p.pk, None, p.text, None, p.chapter_id) for _, p in creates
        ]
        changes += [PassageChange(p.key, p.pk, p.text, None, p.chapter_id, None) for p in removed]
        row_of = dict(plan.continues)
        row_of.update({j: p.pk for j, p in creates})

        old_version = reading.text_version
        reading.bump_text_version()
        responses = passages_changed.send(
            sender=Reading,
            reading=reading,
            old_version=old_version,
            new_version=reading.text_version,
            changes=changes,
            alignment=plan.alignment.relabel(new=row_of),
            chapters=chapter_changes,
        )
        _delete_in_batches(Passage, [p.pk for p in removed])
        _progress_follows(gone_chapters, chapter_changes)
        _delete_in_batches(Chapter, [c.pk for c in gone_chapters])
    return Reimport(
        reading,
        True,
        chapter_changes,
        _counts(kept, [c for c in changes if not (c.added or c.removed)], creates, removed),
        merge_reports(responses),
    )


_PASSAGE_FIELDS = ["chapter_id", "position", "kind", "text", "html", "content_hash", "word_count"]


def _update_passages(passages: list[Passage]) -> None:
    """Save the rows' text and place in one statement run for every row (`executemany`):
    `bulk_update` builds a CASE for every row and field, which costs seconds in Python for a
    book whose edition moved thousands of passages."""
    if not passages:
        return
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field)} = %s" for field in _PASSAGE_FIELDS)
    sql = f"UPDATE {quote(Passage._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"
    rows = [[getattr(p, field) for field in _PASSAGE_FIELDS] + [p.pk] for p in passages]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _counts(kept: int, changed: list, added: list, removed: list) -> dict[str, int]:
    return {"kept": kept, "changed": len(changed), "added": len(added), "removed": len(removed)}


# Chapters are renumbered through numbers no chapter has, so that the unique (reading,
# number) constraint holds after every row's update on every database.
_PARKED = 1_000_000


def _save_chapters(
    reading: Reading, old_chapters: list[Chapter], parsed: ParsedReading, plan: ReimportPlan
) -> tuple[list[Chapter], list[ChapterChange], list[Chapter], bool]:
    """Update the chapters that continue, create the new ones and park the removed ones
    (deleted after the signal). Returns the chapters in new order, the changes, the removed
    chapters and whether anything about the chapters changed."""
    by_id = {c.pk: c for c in old_chapters}
    before = {c.pk: (c.number, c.title) for c in old_chapters}
    chapters: list[Chapter] = []
    creates: list[Chapter] = []
    updates: list[Chapter] = []
    for index, parsed_chapter in enumerate(parsed.chapters):
        title = parsed_chapter.title.strip()
        kind = parsed_chapter.kind or ChapterKind.MAIN
        words = sum(count_words(p.text) for p in parsed_chapter.passages)
        row = by_id.get(plan.chapter_rows.get(index))
        if row is None:
            row = Chapter(
                reading=reading, number=index + 1, title=title, kind=kind, word_count=words
            )
            creates.append(row)
        elif (row.number, row.title, row.kind, row.word_count) != (index + 1, title, kind, words):
            row.number, row.title, row.kind, row.word_count = index + 1, title, kind, words
            updates.append(row)
        chapters.append(row)
    kept = {c.pk for c in chapters if c.pk is not None}
    gone = [c for c in old_chapters if c.pk not in kept]
    moving = [c for c in updates if c.number != before[c.pk][0]] + gone
    if moving:
        parked = [Chapter(pk=c.pk, number=_PARKED + k) for k, c in enumerate(moving, 1)]
        Chapter.objects.bulk_update(parked, ["number"])
    Chapter.objects.bulk_update(updates, ["number", "title", "kind", "word_count"])
    Chapter.objects.bulk_create(creates)

    new_chapter_of = {index: chapter.pk for index, chapter in enumerate(chapters)}
    changes = []
    for index, chapter in enumerate(chapters):
        old_number, old_title = before.get(chapter.pk, (None, None))
        changes.append(ChapterChange(chapter.pk, old_number, index + 1, old_title, chapter.title))
    changes += [
        ChapterChange(
            c.pk,
            before[c.pk][0],
            None,
            before[c.pk][1],
            None,
            tuple(new_chapter_of[k] for k in plan.successors.get(c.pk, [])),
        )
        for c in gone
    ]
    return chapters, changes, gone, bool(creates or updates or gone)


def _progress_follows(gone: list[Chapter], changes: list[ChapterChange]) -> None:
    """Readers whose place was in a removed chapter keep their place in the chapter that took
    over its text, else in the last chapter before it that remains (at its start)."""
    if not gone:
        return
    kept = sorted(
        (c for c in changes if not c.removed and c.old_number is not None),
        key=lambda c: c.old_number,
    )
    for change in changes:
        if not change.removed:
            continue
        earlier = [c.chapter_id for c in kept if c.old_number < change.old_number]
        target = (change.successors or earlier[-1:] or [None])[0]
        if target is not None:
            ReadingProgress.objects.filter(chapter_id=change.chapter_id).update(
                chapter_id=target, passage=None
            )


def _delete_in_batches(model, pks: Iterable[int]) -> None:
    pks = list(pks)
    for start in range(0, len(pks), BATCH_SIZE):
        model.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).delete()


def edit_passage(passage: Passage, *, text: str | None = None, kind: str | None = None) -> Passage:
    """Change one passage's text and/or kind by hand (the admin's edit).

    A new text rebuilds the HTML keeping the inline markup (emphasis, note references and
    back-links) wherever the edit did not touch it, recomputes the hash and word counts and
    sends `passages_changed` (with the alignment of the old and new text). Any change — text,
    kind, and with the text its HTML — grows the reading's text version, so every page cached
    under the old version (a circle's chapter bodies) is rebuilt. Saving the same values again
    changes nothing.
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
            number, title = Chapter.objects.values_list("number", "title").get(
                pk=passage.chapter_id
            )
            passages_changed.send(
                sender=Reading,
                reading=reading,
                old_version=old_version,
                new_version=reading.text_version,
                changes=[
                    PassageChange(
                        passage.key,
                        passage.pk,
                        old_text,
                        text,
                        passage.chapter_id,
                        passage.chapter_id,
                    )
                ],
                alignment=align([(passage.pk, old_text)], [(passage.pk, text)]),
                chapters=[ChapterChange(passage.chapter_id, number, number, title, title)],
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
