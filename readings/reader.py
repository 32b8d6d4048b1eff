"""Building a chapter page: the context behind `readings/chapter.html`.

The library's reader uses it, and a circle's reader will too, at its own URLs: pass
`chapter_url` to say where a chapter lives and `reading_url` where its contents are. The page
costs the same few queries however many passages the chapter has. `contents_context` is the
same for a reading's contents page (the library's and a circle's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from accounts.fragments import cached

from .markup import text_without_note_references
from .models import Chapter, Passage, PassageKind, Reading, ReadingProgress

# kind → (outer element, element around the text, what the permalink's name calls it)
KIND_MARKUP = {
    PassageKind.PARAGRAPH: ("div", "p", "paragraph"),
    PassageKind.HEADING: ("div", "h2", "heading"),
    PassageKind.QUOTE: ("blockquote", "p", "quotation"),
    PassageKind.VERSE: ("div", "p", "verse"),
    PassageKind.NOTE: ("div", "p", "note"),
    PassageKind.LIST_ITEM: ("li", "span", "list item"),
}


@dataclass
class PassageBlock:
    """One passage, or a run of list items shown as one list."""

    passages: list[Passage] = field(default_factory=list)
    is_list: bool = False

    @property
    def passage(self) -> Passage:
        return self.passages[0]

    @property
    def outer(self) -> str:
        return KIND_MARKUP[self.passage.kind][0]

    @property
    def inner(self) -> str:
        return KIND_MARKUP[self.passage.kind][1]

    @property
    def label(self) -> str:
        return KIND_MARKUP[self.passage.kind][2]


def group_passages(passages: list[Passage]) -> list[PassageBlock]:
    blocks: list[PassageBlock] = []
    for passage in passages:
        if passage.kind == PassageKind.LIST_ITEM:
            if blocks and blocks[-1].is_list:
                blocks[-1].passages.append(passage)
            else:
                blocks.append(PassageBlock([passage], is_list=True))
        else:
            blocks.append(PassageBlock([passage]))
    return blocks


def build_chapter_context(
    chapter: Chapter,
    *,
    chapter_url: Callable[[Chapter], str] | None = None,
    reading_url: str | None = None,
) -> dict:
    """Everything `readings/chapter.html` needs for `chapter` (whose `reading` is loaded).

    Two queries: the reading's chapters (for its place and previous/next) and the
    chapter's passages, whose HTML was rendered at import.
    """
    context = chapter_navigation(chapter, chapter_url=chapter_url, reading_url=reading_url)
    title_passage, passages = chapter_passages(chapter)
    context.update(title_passage=title_passage, passage_blocks=group_passages(passages))
    return context


def contents_context(
    reading: Reading,
    user,
    *,
    chapter_url: Callable[[Chapter], str] | None = None,
    progress: ReadingProgress | None = None,
) -> dict:
    """What a reading's contents page needs: its chapters in order, each with `reading` set
    and its `url` (`chapter_url`, by default the library's; `readings/_contents.html` links
    them), the words in all of them, and `user`'s place in it (`progress`, whose `chapter` is
    the one in `chapters`), or None. Two queries (one when `progress` is given)."""
    url_for = chapter_url or Chapter.get_absolute_url
    chapters = list(Chapter.objects.of(reading))
    for chapter in chapters:
        chapter.reading = reading
        chapter.url = url_for(chapter)
    progress = progress or reading_progress(reading, user)
    if progress is not None:
        progress.chapter = next(c for c in chapters if c.pk == progress.chapter_id)
    return {
        "reading": reading,
        "chapters": chapters,
        "total_words": sum(chapter.word_count for chapter in chapters),
        "progress": progress,
    }


def reading_progress(reading: Reading, user) -> ReadingProgress | None:
    """`user`'s place in `reading` (nothing asked, nor a query built, for someone signed
    out)."""
    if not user.is_authenticated:
        return None
    return (
        ReadingProgress.objects.for_user(user)
        .filter(reading=reading)
        .select_related("passage")
        .first()
    )


def chapter_navigation(
    chapter: Chapter,
    *,
    chapter_url: Callable[[Chapter], str] | None = None,
    reading_url: str | None = None,
) -> dict:
    """Where `chapter` sits in its reading (its title, or "3 of 7" when it has none;
    previous and next, by title): the chapters' numbers and titles come from the fragment
    cache, kept per text version (which grows with every change to the chapters, their
    numbers or titles), else one query."""
    reading = chapter.reading
    url_for = chapter_url or Chapter.get_absolute_url
    rows = cached(
        f"chapter-rows:{reading.pk}:{reading.text_version}",
        lambda: list(Chapter.objects.of(reading).values_list("pk", "number", "title")),
    )
    index = next(i for i, row in enumerate(rows) if row[0] == chapter.pk)

    def neighbour(at: int) -> Chapter | None:
        if not 0 <= at < len(rows):
            return None
        pk, number, title = rows[at]
        return Chapter(pk=pk, reading=reading, number=number, title=title)

    previous_chapter, next_chapter = neighbour(index - 1), neighbour(index + 1)
    return {
        "reading": reading,
        "chapter": chapter,
        "chapter_where": chapter.where(len(rows)),
        "chapter_count": len(rows),
        "chapter_index": index + 1,
        "chapter_percent": round(100 * (index + 1) / len(rows)),
        "previous_chapter": previous_chapter,
        "next_chapter": next_chapter,
        "previous_url": url_for(previous_chapter) if previous_chapter else "",
        "next_url": url_for(next_chapter) if next_chapter else "",
        "reading_url": reading_url or reading.get_absolute_url(),
    }


def chapter_passages(chapter: Chapter) -> tuple[Passage | None, list[Passage]]:
    """(title passage, the other passages) of `chapter` in order: one query.

    A chapter that opens with its own title as a heading shows that heading as the page's h1
    (the title passage) instead of among the passages; a title that refers to a note is such
    a heading with the reference in it ("Bourgeois and Proletarians³"), kept so that the
    reference links to the note and the note back to the title.
    """
    passages = list(Passage.objects.in_chapter(chapter).for_display())
    if passages and reads_as_title(passages[0], chapter):
        return passages[0], passages[1:]
    return None, passages


def reads_as_title(first: Passage, chapter: Chapter) -> bool:
    """Whether `first`, the chapter's first passage, is a heading that is the chapter's title
    (`chapter_passages`'s rule): no query."""
    if first.kind != PassageKind.HEADING:
        return False
    title = chapter.title.strip()
    return first.text.strip() == title or (
        'class="noteref"' in first.html and text_without_note_references(first.html) == title
    )
