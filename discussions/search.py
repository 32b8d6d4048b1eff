"""Full-text search over a circle's discussion: comments' words and their anchors' quotes.

The index is kept by the database (see `discussions/migrations/0006_comment_search.py`): on
PostgreSQL a stored generated `tsvector` column (`search_vector`: the body weighted above the
quote, in the reading's language) with a GIN index; on SQLite an FTS5 table kept in step by
triggers. What people type is read as by `websearch_to_tsquery` on both (`readings.search`).

Results obey the rules the pages do (`comment_search` is the one place): the circle's
comments only to those who may see the circle (its view is reached through
`get_circle_for_viewer`), private notes only to their author, hidden comments only to the
circle's moderators, deleted comments to no one; and what lies beyond the reader's horizon
(`discussions.horizon`) is counted, not shown, until they ask to see it anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Count, FloatField, Window
from django.db.models.expressions import RawSQL

from circles.models import Circle
from readings.search import (
    HEADLINE_PARAMS,
    START,
    STOP,
    fts5_query,
    headline_sql,
    highlight,
    is_searchable,
    on_postgresql,
    search_config,
    tsquery_sql,
)

from .horizon import Horizon
from .models import Comment, CommentState
from .permissions import can_moderate

SQLITE_TRIGGERS = {
    "discussions_comment_fts_insert": """
        CREATE TRIGGER IF NOT EXISTS discussions_comment_fts_insert
        AFTER INSERT ON discussions_comment BEGIN
            INSERT INTO discussions_comment_fts(rowid, body, anchor_exact)
            VALUES (new.id, new.body, new.anchor_exact);
        END""",
    "discussions_comment_fts_delete": """
        CREATE TRIGGER IF NOT EXISTS discussions_comment_fts_delete
        AFTER DELETE ON discussions_comment BEGIN
            INSERT INTO discussions_comment_fts(discussions_comment_fts, rowid, body, anchor_exact)
            VALUES ('delete', old.id, old.body, old.anchor_exact);
        END""",
    "discussions_comment_fts_update": """
        CREATE TRIGGER IF NOT EXISTS discussions_comment_fts_update
        AFTER UPDATE OF id, body, anchor_exact ON discussions_comment BEGIN
            INSERT INTO discussions_comment_fts(discussions_comment_fts, rowid, body, anchor_exact)
            VALUES ('delete', old.id, old.body, old.anchor_exact);
            INSERT INTO discussions_comment_fts(rowid, body, anchor_exact)
            VALUES (new.id, new.body, new.anchor_exact);
        END""",
}


@dataclass
class Filters:
    reading: object = None  # a Reading of the circle
    chapter: object = None  # a Chapter of that reading
    author_id: int | None = None
    unanswered: bool = False


@dataclass
class CommentResults:
    comments: list[Comment] = field(default_factory=list)
    total: int = 0  # matches within the horizon (`comments` holds the best of them)
    folded: int = 0  # matches beyond it


def searchable_comments(user, circle: Circle):
    """The comments of `circle` that `user` (who may see the circle) may find: no one else's
    private notes, no deleted ones, hidden ones only for the circle's moderators."""
    comments = Comment.objects.in_circle(circle).visible_to(user)
    if can_moderate(user, circle):
        return comments.exclude(state=CommentState.DELETED)
    return comments.filter(state=CommentState.VISIBLE)


def _configs(circle: Circle) -> set[str]:
    """PostgreSQL: the text search configurations of the circle's readings (looked up once)."""
    if not hasattr(circle, "_search_configs"):
        languages = set(circle.readings.values_list("language", flat=True)) or {"en"}
        circle._search_configs = {search_config(language) for language in languages}
    return circle._search_configs


def _matching(comments, query: str, circle: Circle):
    """`comments` matching `query` (on PostgreSQL annotated with `search_rank`)."""
    if on_postgresql():
        configs = _configs(circle)
        tsquery = tsquery_sql(configs)
        params = [query] * len(configs)
        return comments.filter(
            RawSQL(
                f"discussions_comment.search_vector @@ {tsquery}",
                params,
                output_field=BooleanField(),
            )
        ).annotate(
            search_rank=RawSQL(
                f"ts_rank_cd(discussions_comment.search_vector, {tsquery})",
                params,
                output_field=FloatField(),
            )
        )
    return comments.filter(
        pk__in=RawSQL(
            "SELECT rowid FROM discussions_comment_fts WHERE discussions_comment_fts MATCH %s",
            [fts5_query(query)],
        )
    )


def _ranked(comments, query: str, circle: Circle, limit: int) -> list[tuple[int, int]]:
    """[(id, how many match)] of the best `limit` of `comments` matching `query`: ranked on
    narrow rows, counted in the same pass by a window over every match (ranking whole rows
    would sort, and spill, every matching comment's columns)."""
    if on_postgresql():
        return list(
            _matching(comments, query, circle)
            .annotate(search_total=Window(Count("pk")))
            .order_by("-search_rank", "-pk")
            .values_list("pk", "search_total")[:limit]
        )
    # SQLite: the FTS5 table's matches (bm25() is only known there), the comments the reader
    # may find as a filter on them.
    # Each match checked by its primary key against what the reader may find.
    allowed, params = (
        comments.filter(pk=RawSQL("matches.id", [])).order_by().values("pk").query
    ).sql_with_params()
    # The matches are gathered once (MATERIALIZED): left to itself, SQLite may walk the
    # allowed comments and ask the FTS table to match each one by rowid, which is far slower.
    sql = f"""
        WITH matches AS MATERIALIZED (
            SELECT rowid AS id, bm25(discussions_comment_fts, 1.0, 0.5) AS rank
            FROM discussions_comment_fts WHERE discussions_comment_fts MATCH %s
        )
        SELECT id, count(*) OVER () FROM matches
        WHERE EXISTS ({allowed})
        ORDER BY rank, id DESC LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [fts5_query(query), *params, limit])
        return cursor.fetchall()


def comment_search(
    user,
    circle: Circle,
    query: str,
    horizon: Horizon,
    filters: Filters | None = None,
    *,
    limit: int = 30,
) -> CommentResults:
    """The best `limit` comments of `circle` matching `query` that `user` may find, within
    their `horizon`, with snippets; and how many more match, within it and beyond it."""
    if not is_searchable(query):
        return CommentResults()
    filters = filters or Filters()
    comments = searchable_comments(user, circle)
    if filters.reading is not None:
        comments = comments.filter(reading=filters.reading)
    if filters.chapter is not None:
        comments = comments.filter(chapter=filters.chapter)
    if filters.author_id is not None:
        comments = comments.filter(author_id=filters.author_id)
    if filters.unanswered:
        comments = comments.roots().unanswered()
    within = horizon.q()
    ranked = _ranked(comments.filter(within) if within else comments, query, circle, limit)
    total = ranked[0][1] if ranked else 0
    loaded = Comment.objects.select_related("author", "chapter", "reading").in_bulk(
        [pk for pk, _ in ranked]
    )
    best = [loaded[pk] for pk, _ in ranked if pk in loaded]
    folded = _matching(comments, query, circle).exclude(within).count() if within else 0
    for comment in best:
        comment.circle = circle
    _add_snippets(best, query, circle)
    return CommentResults(best, total, folded)


def _add_snippets(comments: list[Comment], query: str, circle: Circle) -> None:
    """`snippet` (the body's matching words in <mark>) and `quote_snippet` (the anchor's
    quote, its matching words marked) on each comment: one query for them all."""
    if not comments:
        return
    ids = [c.pk for c in comments]
    marks = ", ".join(["%s"] * len(ids))
    if on_postgresql():
        languages = {c.reading.language for c in comments}
        configs = {search_config(language) for language in languages}
        tsquery = tsquery_sql(configs)
        quote_options = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
        sql = f"""
            SELECT c.id, {headline_sql("c.search_config", "c.body", "q.query")},
                   ts_headline(c.search_config, c.anchor_exact, q.query, %s)
            FROM discussions_comment c, (SELECT {tsquery} AS query) q
            WHERE c.id IN ({marks})
        """
        params = [*HEADLINE_PARAMS, quote_options, *([query] * len(configs)), *ids]
    else:
        sql = f"""
            SELECT rowid, snippet(discussions_comment_fts, 0, char(2), char(3), '…', 32),
                   highlight(discussions_comment_fts, 1, char(2), char(3))
            FROM discussions_comment_fts
            WHERE discussions_comment_fts MATCH %s AND rowid IN ({marks})
        """
        params = [fts5_query(query), *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        snippets = {pk: (body, quote) for pk, body, quote in cursor.fetchall()}
    for comment in comments:
        body, quote = snippets.get(comment.pk, ("", ""))
        comment.snippet = highlight(body or comment.body[:200])
        comment.quote_snippet = highlight(quote or "") if comment.anchor_exact else ""
