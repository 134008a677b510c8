"""The database triggers that keep the search index current, and the index's full rebuild.

Installed after every migrate and flush (apps.py), idempotently, as the page cache installs
its own (clinic_site/core/pagecache/triggers.py). A trigger on each article table copies the row
into `search_searchentry` on every insert, update and delete; from there:

- SQLite: triggers copy each entry into an FTS5 table for its language: `search_fts_en`
  (porter stemming) or `search_fts_es` (accents folded; the query side stems, see query_text.py).
- PostgreSQL: a trigger sets the entry's `document` tsvector with weights, in the `english`
  or `clinic_spanish` (Spanish stemming after unaccent) configuration; a GIN index serves it.

The article triggers name the section columns. A migration that renames or drops one should
drop the search triggers first (`DROP TRIGGER search_sync ON <table>` on PostgreSQL; SQLite
rebuilds the table without them): a row written later in the same `migrate` would otherwise
fail. They are made again, from the models, when `migrate` ends.
"""

from django.db import connections

from conditions.models import ARTICLE_MODELS

from .models import SearchEntry

ENTRY = SearchEntry._meta.db_table
COLUMNS = "kind, article_id, language, slug, title, also_called, summary, body, status, publish_at"
FTS_COLUMNS = "title, also_called, summary, body"
# Each language's FTS5 table (SQLite) and its tokenizer. Spanish folds accents here and is
# stemmed on the query side, as prefixes: FTS5 tokenizers cannot be written in Python.
FTS_TABLES = {
    "en": ("search_fts_en", "porter unicode61 remove_diacritics 2"),
    "es": ("search_fts_es", "unicode61 remove_diacritics 2"),
}
PG_CONFIGS = {"es": "clinic_spanish"}  # any other language: english


def kind_of(model):
    return model._meta.model_name


def _values(model, row, newline):
    """The SQL expressions of the entry's columns from `row` (NEW or a table alias)."""
    sections = [f"coalesce({row}.{name}, '')" for name in model.SECTION_NAMES] or ["''"]
    body = f" || {newline} || ".join(sections)
    return (
        f"'{kind_of(model)}', {row}.id, {row}.language, {row}.slug, {row}.title, "
        f"{row}.also_called, {row}.summary, {body}, {row}.status, {row}.publish_at"
    )


def _upsert(model, row, newline):
    updates = ", ".join(
        f"{c} = excluded.{c}" for c in COLUMNS.split(", ") if c not in ("kind", "article_id")
    )
    return (
        f"INSERT INTO {ENTRY} ({COLUMNS}) VALUES ({_values(model, row, newline)}) "  # noqa: S608
        f"ON CONFLICT (kind, article_id) DO UPDATE SET {updates}"
    )


def _rebuild_entries(models, newline):
    yield f"DELETE FROM {ENTRY}"  # noqa: S608
    for model in models:
        yield (
            f"INSERT INTO {ENTRY} ({COLUMNS}) "  # noqa: S608
            f"SELECT {_values(model, 'a', newline)} FROM {model._meta.db_table} a"
        )


def _sqlite_statements(models):
    for table, tokenizer in FTS_TABLES.values():
        yield f"DROP TABLE IF EXISTS {table}"
        yield (f"CREATE VIRTUAL TABLE {table} USING fts5({FTS_COLUMNS}, tokenize = '{tokenizer}')")
    # Entries → FTS5, by language (anything but Spanish goes to the English table).
    fts_insert = " ".join(
        f"INSERT INTO {table} (rowid, {FTS_COLUMNS}) SELECT NEW.id, NEW.title, NEW.also_called, "
        f"NEW.summary, NEW.body WHERE "
        + ("NEW.language = 'es';" if language == "es" else "NEW.language <> 'es';")
        for language, (table, _tokenizer) in FTS_TABLES.items()
    )
    fts_delete = " ".join(
        f"DELETE FROM {table} WHERE rowid = OLD.id;"  # noqa: S608 - our own table names
        for table, _t in FTS_TABLES.values()
    )
    for event, body in (
        ("INSERT", fts_insert),
        ("UPDATE", fts_delete + " " + fts_insert),
        ("DELETE", fts_delete),
    ):
        name = f"search_fts_{event.lower()}"
        yield f'DROP TRIGGER IF EXISTS "{name}"'
        yield f'CREATE TRIGGER "{name}" AFTER {event} ON "{ENTRY}" BEGIN {body} END'
    # Articles → entries.
    for model in models:
        table = model._meta.db_table
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"search_{table}_{event.lower()}"
            if event == "DELETE":
                body = (
                    f"DELETE FROM {ENTRY} WHERE kind = '{kind_of(model)}' "  # noqa: S608
                    "AND article_id = OLD.id;"
                )
            else:
                body = _upsert(model, "NEW", "char(10)") + ";"
            yield f'DROP TRIGGER IF EXISTS "{name}"'
            yield f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}" BEGIN {body} END'
    yield from _rebuild_entries(models, "char(10)")


def _pg_document():
    spanish = PG_CONFIGS["es"]
    config = f"(CASE WHEN NEW.language = 'es' THEN '{spanish}' ELSE 'english' END)::regconfig"
    return (
        f"setweight(to_tsvector({config}, coalesce(NEW.title, '')), 'A') || "
        f"setweight(to_tsvector({config}, coalesce(NEW.also_called, '')), 'A') || "
        f"setweight(to_tsvector({config}, coalesce(NEW.summary, '')), 'B') || "
        f"setweight(to_tsvector({config}, coalesce(NEW.body, '')), 'C')"
    )


def _postgresql_statements(models):
    yield (
        "CREATE OR REPLACE FUNCTION search_entry_document() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN NEW.document := {_pg_document()}; RETURN NEW; END $$"
    )
    yield f'DROP TRIGGER IF EXISTS search_entry_document ON "{ENTRY}"'
    yield (
        f'CREATE TRIGGER search_entry_document BEFORE INSERT OR UPDATE ON "{ENTRY}" '
        "FOR EACH ROW EXECUTE FUNCTION search_entry_document()"
    )
    for model in models:
        table = model._meta.db_table
        function = f"search_sync_{table}"
        yield (
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "  # noqa: S608
            "BEGIN IF TG_OP = 'DELETE' THEN "
            f"DELETE FROM {ENTRY} WHERE kind = '{kind_of(model)}' AND article_id = OLD.id; "
            f"ELSE {_upsert(model, 'NEW', 'chr(10)')}; END IF; RETURN NULL; END $$"
        )
        yield f'DROP TRIGGER IF EXISTS search_sync ON "{table}"'
        yield (
            f'CREATE TRIGGER search_sync AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
    # TRUNCATE fires no row trigger; nothing in the site truncates, and the next migrate
    # rebuilds the index anyway.
    yield from _rebuild_entries(models, "chr(10)")


def install_triggers(using="default", **kwargs):
    """(Re)creates the index's triggers on database `using` and rebuilds the index."""
    connection = connections[using]
    statements = {"sqlite": _sqlite_statements, "postgresql": _postgresql_statements}
    if connection.vendor not in statements:
        raise NotImplementedError(f"Search has no index for {connection.vendor}.")
    existing = set(connection.introspection.table_names())
    if ENTRY not in existing:
        return
    models = [m for m in ARTICLE_MODELS if m._meta.db_table in existing]
    with connection.cursor() as cursor:
        for statement in statements[connection.vendor](models):
            cursor.execute(statement)
