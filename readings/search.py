"""Full-text search over passages: one reading's text (the reader's search box) or the whole
library's (grouped by reading).

The index lives in the database, kept in step by the database itself, so imports, edits and
re-imports need do nothing:

- **PostgreSQL**: `readings_passage.search_vector`, a stored generated `tsvector` column over
  `text` in the reading's language (`search_config`, a `regconfig` a trigger copies from
  `Reading.language` onto each row, since a generated column cannot look it up), through a
  `marginalia_<language>` text search configuration that drops accents with `unaccent`. A
  GIN index; `websearch_to_tsquery` for what people type, `ts_rank_cd` for order,
  `ts_headline` for the snippet.
- **SQLite**: an FTS5 table `readings_passage_fts` over `text` (external content, kept in
  step by triggers), stemming English (`porter unicode61 remove_diacritics 2`): other
  languages match whole words. `bm25()` for order, `snippet()` for the snippet.

Both are made by `readings/migrations/0006_passage_search.py`; `ensure_sqlite_index` remakes
the SQLite triggers if a later migration rebuilt the table (SQLite drops a table's triggers
with it), and runs after every `migrate`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Reading.language (ISO 639-1) → PostgreSQL's snowball stemmer; anything else: `simple`.
# readings/migrations/0006_passage_search.py holds a frozen copy (the SQL function
# `marginalia_search_config`); a test checks they agree.
LANGUAGES = {
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nb": "norwegian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}

MAX_QUERY = 200
START, STOP = "\x02", "\x03"  # marks around matched words in snippets, escaped afterwards


def search_config(language: str) -> str:
    """The PostgreSQL text search configuration for a reading's language ("en-GB" → english)."""
    base = (language or "").replace("_", "-").split("-")[0].lower()
    return f"marginalia_{LANGUAGES.get(base, 'simple')}"


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def highlight(snippet: str) -> SafeString:
    """A snippet from the database, escaped, its matched words in <mark>."""
    text = escape(snippet.replace("\x00", ""))
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


# --- what people type ----------------------------------------------------------------------

_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def fts5_query(query: str) -> str:
    """What someone typed (as for `websearch_to_tsquery`: words, "an exact phrase", `-word`
    to leave out, `or`) as an FTS5 query, every word quoted so nothing in it is syntax. ""
    when nothing searchable is left."""
    positive: list[str] = []
    negative: list[str] = []
    pending_or = False
    for minus, phrase, bare in _TERM.findall(query[:MAX_QUERY]):
        if bare and bare.lower() == "or" and positive:
            pending_or = True
            continue
        negate = bool(minus) or (bare.startswith("-") and len(bare) > 1)
        words = _WORD.findall(phrase if phrase or minus else bare)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if negate:
            negative.append(term)
        elif pending_or:
            positive[-1] = f"({positive[-1]} OR {term})"
            pending_or = False
        else:
            positive.append(term)
    if not positive:
        return ""
    return " AND ".join(positive) + "".join(f" NOT {term}" for term in negative)


def is_searchable(query: str) -> bool:
    return bool(fts5_query(query))


def tsquery_sql(configs: Iterable[str]) -> str:
    """PostgreSQL: the query in each of `configs` OR-ed, a constant expression (so the GIN
    index serves it); takes the query text once per config as a parameter."""
    parts = [f"websearch_to_tsquery('{c}'::regconfig, %s)" for c in sorted(set(configs))]
    return "(" + " || ".join(parts) + ")"


SHORT = 280  # characters: a text this short is shown whole in a snippet, its matches marked
HEADLINE_PARAMS = [
    f"StartSel={START}, StopSel={STOP}, HighlightAll=true",
    f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2, "
    'FragmentDelimiter=" … "',
]


def headline_sql(config: str, text: str, tsquery: str) -> str:
    """PostgreSQL: `ts_headline` of `text`, whole when short, else its best fragments; takes
    `HEADLINE_PARAMS`."""
    return (
        f"CASE WHEN length({text}) <= {SHORT} THEN ts_headline({config}, {text}, {tsquery}, %s)"
        f" ELSE ts_headline({config}, {text}, {tsquery}, %s) END"
    )


# --- passages ------------------------------------------------------------------------------


@dataclass
class PassageHit:
    passage_id: int
    reading_id: int
    snippet: SafeString
    rank: float
    in_reading: int  # how many passages of its reading match
    passage: object = None


def passage_hits(
    query: str, readings: Iterable | None = None, *, limit: int = 50, per_reading: int | None = None
) -> list[PassageHit]:
    """The passages of `readings` (None: the whole library) matching `query`, best first (one
    query): at most `limit`, and at most `per_reading` of each reading; each with a snippet
    and how many passages of its reading match. `passage` is loaded by `load_passages`."""
    if not is_searchable(query):
        return []
    if readings is None:
        from .models import Reading

        ids = []
        languages = set(Reading.objects.order_by().values_list("language", flat=True).distinct())
    else:
        readings = list(readings)
        if not readings:
            return []
        ids = [r.pk for r in readings]
        languages = {r.language for r in readings}
    in_readings = f"p.reading_id IN ({', '.join(['%s'] * len(ids))})" if ids else "TRUE"
    if on_postgresql():
        configs = {search_config(language) for language in languages or {"en"}}
        tsquery = tsquery_sql(configs)
        # Ranked on narrow rows; the text read again only for the best, for their snippets.
        sql = f"""
            WITH q AS (SELECT {tsquery} AS query),
            hits AS (
                SELECT p.id, p.reading_id, ts_rank_cd(p.search_vector, q.query) AS rank
                FROM readings_passage p, q
                WHERE {in_readings} AND p.search_vector @@ q.query
            ), ranked AS (
                SELECT *, row_number() OVER (PARTITION BY reading_id ORDER BY rank DESC, id)
                       AS nth,
                       count(*) OVER (PARTITION BY reading_id) AS in_reading
                FROM hits
            ), best AS (
                SELECT * FROM ranked WHERE nth <= %s ORDER BY rank DESC, id LIMIT %s
            )
            SELECT best.id, best.reading_id,
                   {headline_sql("p.search_config", "p.text", "q.query")},
                   best.rank, best.in_reading
            FROM best JOIN readings_passage p ON p.id = best.id, q
            ORDER BY best.rank DESC, best.id
        """
        params = [query] * len(configs) + ids + [per_reading or limit, limit] + HEADLINE_PARAMS
    else:
        # The matches gathered once (MATERIALIZED), so that SQLite never walks a reading's
        # passages asking the FTS table to match each by rowid; snippets for the best alone.
        sql = f"""
            WITH matches AS MATERIALIZED (
                SELECT rowid AS id, bm25(readings_passage_fts) AS rank
                FROM readings_passage_fts WHERE readings_passage_fts MATCH %s
            ), hits AS (
                SELECT p.id, p.reading_id, m.rank
                FROM matches m JOIN readings_passage p ON p.id = m.id
                WHERE {in_readings}
            ), ranked AS (
                SELECT *, row_number() OVER (PARTITION BY reading_id ORDER BY rank, id) AS nth,
                       count(*) OVER (PARTITION BY reading_id) AS in_reading
                FROM hits
            )
            SELECT best.id, best.reading_id,
                   snippet(readings_passage_fts, 0, char(2), char(3), '…', 24),
                   -best.rank, best.in_reading
            FROM (SELECT * FROM ranked WHERE nth <= %s ORDER BY rank, id LIMIT %s) best
            JOIN readings_passage_fts ON readings_passage_fts.rowid = best.id
            WHERE readings_passage_fts MATCH %s
            ORDER BY best.rank, best.id
        """
        match = fts5_query(query)
        params = [match, *ids, per_reading or limit, limit, match]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        PassageHit(pk, reading_id, highlight(snippet), float(rank), count)
        for pk, reading_id, snippet, rank, count in rows
    ]


def load_passages(hits: list[PassageHit]) -> list[PassageHit]:
    """Attach each hit's passage, its chapter and reading joined (one query)."""
    from .models import Passage

    passages = (
        Passage.objects.select_related("chapter", "reading")
        .only(
            "id",
            "key",
            "kind",
            "chapter__number",
            "chapter__title",
            "chapter__kind",
            "chapter__reading_id",
            "reading__slug",
            "reading__title",
            "reading__author",
        )
        .in_bulk([hit.passage_id for hit in hits])
    )
    for hit in hits:
        hit.passage = passages.get(hit.passage_id)
        if hit.passage is not None:
            hit.passage.chapter.reading = hit.passage.reading
    return [hit for hit in hits if hit.passage is not None]


# --- keeping SQLite's index ----------------------------------------------------------------

SQLITE_TRIGGERS = {
    "readings_passage_fts_insert": """
        CREATE TRIGGER IF NOT EXISTS readings_passage_fts_insert
        AFTER INSERT ON readings_passage BEGIN
            INSERT INTO readings_passage_fts(rowid, text) VALUES (new.id, new.text);
        END""",
    "readings_passage_fts_delete": """
        CREATE TRIGGER IF NOT EXISTS readings_passage_fts_delete
        AFTER DELETE ON readings_passage BEGIN
            INSERT INTO readings_passage_fts(readings_passage_fts, rowid, text)
            VALUES ('delete', old.id, old.text);
        END""",
    "readings_passage_fts_update": """
        CREATE TRIGGER IF NOT EXISTS readings_passage_fts_update
        AFTER UPDATE OF id, text ON readings_passage BEGIN
            INSERT INTO readings_passage_fts(readings_passage_fts, rowid, text)
            VALUES ('delete', old.id, old.text);
            INSERT INTO readings_passage_fts(rowid, text) VALUES (new.id, new.text);
        END""",
}


def ensure_sqlite_index(conn, table: str, triggers: dict[str, str]) -> bool:
    """On SQLite, remake `table`'s FTS triggers if they are gone (and rebuild the index from
    the rows, which it may have missed meanwhile); returns whether it had to."""
    if conn.vendor != "sqlite":
        return False
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
        if cursor.fetchone() is None:  # not migrated that far (yet)
            return False
        names = ", ".join(["%s"] * len(triggers))
        cursor.execute(
            f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})",
            list(triggers),
        )
        if cursor.fetchone()[0] == len(triggers):
            return False
        for sql in triggers.values():
            cursor.execute(sql)
        cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    return True
