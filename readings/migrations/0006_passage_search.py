"""Full-text search over passages (see `readings.search`): on PostgreSQL a stored generated
`tsvector` column in the reading's language, accents dropped through `unaccent`, and a GIN
index; on SQLite an FTS5 table kept in step by triggers. Nothing in Django's model state
changes: the columns and tables belong to the database alone."""

from django.db import migrations

# A frozen copy of readings.search.LANGUAGES (ISO 639-1 → snowball stemmer).
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


def _postgresql_forward(cursor):
    cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for stemmer in sorted({*LANGUAGES.values(), "simple"}):
        dictionary = "simple" if stemmer == "simple" else f"{stemmer}_stem"
        cursor.execute(
            f"CREATE TEXT SEARCH CONFIGURATION marginalia_{stemmer} (COPY = pg_catalog.{stemmer})"
        )
        cursor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION marginalia_{stemmer} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {dictionary}"
        )
    cases = " ".join(
        f"WHEN '{code}' THEN 'marginalia_{stemmer}'::regconfig"
        for code, stemmer in sorted(LANGUAGES.items())
    )
    cursor.execute(
        f"""
        CREATE FUNCTION marginalia_search_config(language text) RETURNS regconfig
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT CASE lower(split_part(replace(coalesce(language, ''), '_', '-'), '-', 1))
                {cases} ELSE 'marginalia_simple'::regconfig END
        $$
        """
    )
    cursor.execute(
        """
        ALTER TABLE readings_passage
            ADD COLUMN search_config regconfig NOT NULL DEFAULT 'marginalia_simple';
        UPDATE readings_passage p SET search_config = marginalia_search_config(r.language)
            FROM readings_reading r WHERE r.id = p.reading_id;
        ALTER TABLE readings_passage ADD COLUMN search_vector tsvector
            GENERATED ALWAYS AS (to_tsvector(search_config, text)) STORED;
        CREATE INDEX readings_passage_search ON readings_passage USING gin (search_vector);

        CREATE FUNCTION readings_passage_search_config() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_config := (
                SELECT marginalia_search_config(language) FROM readings_reading
                WHERE id = NEW.reading_id
            );
            RETURN NEW;
        END $$;
        CREATE TRIGGER readings_passage_search_config
            BEFORE INSERT OR UPDATE OF reading_id ON readings_passage
            FOR EACH ROW EXECUTE FUNCTION readings_passage_search_config();

        CREATE FUNCTION readings_reading_language_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE readings_passage SET search_config = marginalia_search_config(NEW.language)
                WHERE reading_id = NEW.id;
            RETURN NULL;
        END $$;
        CREATE TRIGGER readings_reading_language_changed
            AFTER UPDATE OF language ON readings_reading
            FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language)
            EXECUTE FUNCTION readings_reading_language_changed();
        """
    )


def _postgresql_backward(cursor):
    cursor.execute(
        """
        DROP TRIGGER IF EXISTS readings_reading_language_changed ON readings_reading;
        DROP FUNCTION IF EXISTS readings_reading_language_changed();
        DROP TRIGGER IF EXISTS readings_passage_search_config ON readings_passage;
        DROP FUNCTION IF EXISTS readings_passage_search_config();
        ALTER TABLE readings_passage DROP COLUMN IF EXISTS search_vector;
        ALTER TABLE readings_passage DROP COLUMN IF EXISTS search_config;
        DROP FUNCTION IF EXISTS marginalia_search_config(text);
        """
    )
    for stemmer in sorted({*LANGUAGES.values(), "simple"}):
        cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS marginalia_{stemmer}")


SQLITE_TABLE = """
    CREATE VIRTUAL TABLE readings_passage_fts USING fts5(
        text, content='readings_passage', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
"""
SQLITE_TRIGGERS = [
    """CREATE TRIGGER readings_passage_fts_insert AFTER INSERT ON readings_passage BEGIN
        INSERT INTO readings_passage_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER readings_passage_fts_delete AFTER DELETE ON readings_passage BEGIN
        INSERT INTO readings_passage_fts(readings_passage_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER readings_passage_fts_update AFTER UPDATE OF id, text ON readings_passage
    BEGIN
        INSERT INTO readings_passage_fts(readings_passage_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
        INSERT INTO readings_passage_fts(rowid, text) VALUES (new.id, new.text);
    END""",
]


def forward(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _postgresql_forward(cursor)
        elif connection.vendor == "sqlite":
            cursor.execute(SQLITE_TABLE)
            for sql in SQLITE_TRIGGERS:
                cursor.execute(sql)
            cursor.execute(
                "INSERT INTO readings_passage_fts(readings_passage_fts) VALUES ('rebuild')"
            )


def backward(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _postgresql_backward(cursor)
        elif connection.vendor == "sqlite":
            for name in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS readings_passage_fts_{name}")
            cursor.execute("DROP TABLE IF EXISTS readings_passage_fts")


class Migration(migrations.Migration):
    dependencies = [
        ("readings", "0005_chapters_reached"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
