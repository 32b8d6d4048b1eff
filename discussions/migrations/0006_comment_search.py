"""Full-text search over comments (see `discussions.search`): the body and the anchor's
quote. On PostgreSQL a stored generated `tsvector` column (body weighted above the quote) in
the reading's language, with a GIN index; on SQLite an FTS5 table kept in step by triggers.
Nothing in Django's model state changes."""

from django.db import migrations

SQLITE_TABLE = """
    CREATE VIRTUAL TABLE discussions_comment_fts USING fts5(
        body, anchor_exact, content='discussions_comment', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
"""
SQLITE_TRIGGERS = [
    """CREATE TRIGGER discussions_comment_fts_insert AFTER INSERT ON discussions_comment BEGIN
        INSERT INTO discussions_comment_fts(rowid, body, anchor_exact)
        VALUES (new.id, new.body, new.anchor_exact);
    END""",
    """CREATE TRIGGER discussions_comment_fts_delete AFTER DELETE ON discussions_comment BEGIN
        INSERT INTO discussions_comment_fts(discussions_comment_fts, rowid, body, anchor_exact)
        VALUES ('delete', old.id, old.body, old.anchor_exact);
    END""",
    """CREATE TRIGGER discussions_comment_fts_update
    AFTER UPDATE OF id, body, anchor_exact ON discussions_comment BEGIN
        INSERT INTO discussions_comment_fts(discussions_comment_fts, rowid, body, anchor_exact)
        VALUES ('delete', old.id, old.body, old.anchor_exact);
        INSERT INTO discussions_comment_fts(rowid, body, anchor_exact)
        VALUES (new.id, new.body, new.anchor_exact);
    END""",
]

POSTGRESQL_FORWARD = """
    ALTER TABLE discussions_comment
        ADD COLUMN search_config regconfig NOT NULL DEFAULT 'marginalia_simple';
    UPDATE discussions_comment c SET search_config = marginalia_search_config(r.language)
        FROM readings_reading r WHERE r.id = c.reading_id;
    ALTER TABLE discussions_comment ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(search_config, body), 'A')
        || setweight(to_tsvector(search_config, anchor_exact), 'B')
    ) STORED;
    CREATE INDEX discussions_comment_search ON discussions_comment USING gin (search_vector);

    CREATE FUNCTION discussions_comment_search_config() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_config := (
            SELECT marginalia_search_config(language) FROM readings_reading
            WHERE id = NEW.reading_id
        );
        RETURN NEW;
    END $$;
    CREATE TRIGGER discussions_comment_search_config
        BEFORE INSERT OR UPDATE OF reading_id ON discussions_comment
        FOR EACH ROW EXECUTE FUNCTION discussions_comment_search_config();

    CREATE FUNCTION discussions_reading_language_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE discussions_comment SET search_config = marginalia_search_config(NEW.language)
            WHERE reading_id = NEW.id;
        RETURN NULL;
    END $$;
    CREATE TRIGGER discussions_reading_language_changed
        AFTER UPDATE OF language ON readings_reading
        FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language)
        EXECUTE FUNCTION discussions_reading_language_changed();
"""

POSTGRESQL_BACKWARD = """
    DROP TRIGGER IF EXISTS discussions_reading_language_changed ON readings_reading;
    DROP FUNCTION IF EXISTS discussions_reading_language_changed();
    DROP TRIGGER IF EXISTS discussions_comment_search_config ON discussions_comment;
    DROP FUNCTION IF EXISTS discussions_comment_search_config();
    ALTER TABLE discussions_comment DROP COLUMN IF EXISTS search_vector;
    ALTER TABLE discussions_comment DROP COLUMN IF EXISTS search_config;
"""


def forward(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_FORWARD)
        elif connection.vendor == "sqlite":
            cursor.execute(SQLITE_TABLE)
            for sql in SQLITE_TRIGGERS:
                cursor.execute(sql)
            cursor.execute(
                "INSERT INTO discussions_comment_fts(discussions_comment_fts) VALUES ('rebuild')"
            )


def backward(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_BACKWARD)
        elif connection.vendor == "sqlite":
            for name in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS discussions_comment_fts_{name}")
            cursor.execute("DROP TABLE IF EXISTS discussions_comment_fts")


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0005_who_made_earlier_revisions"),
        ("readings", "0006_passage_search"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
