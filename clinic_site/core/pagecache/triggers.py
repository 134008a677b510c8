"""The database triggers that give ContentVersion a new value whenever public content changes.

Installed after every migrate and flush (apps.py), idempotently. PostgreSQL fires one trigger
per statement (so a bulk update costs one write); SQLite only has row triggers.
"""

from django.db import connections

from .models import ContentVersion, public_models

NEW_VERSION = {
    # SQLite's random() is a random 64-bit integer.
    "sqlite": "random()",
    "postgresql": "(random() * 9e18)::bigint",
}


def _upsert(vendor):
    table = ContentVersion._meta.db_table
    return (
        f"INSERT INTO {table} (id, version) VALUES (1, {NEW_VERSION[vendor]}) "  # noqa: S608
        "ON CONFLICT (id) DO UPDATE SET version = excluded.version"
    )


def _sqlite_statements(tables):
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"pagecache_{table}_{event.lower()}"
            yield f'DROP TRIGGER IF EXISTS "{name}"'
            yield (
                f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}" BEGIN {_upsert("sqlite")}; END'
            )


def _postgresql_statements(tables):
    yield (
        "CREATE OR REPLACE FUNCTION pagecache_new_version() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN {_upsert('postgresql')}; RETURN NULL; END $$"
    )
    for table in tables:
        yield f'DROP TRIGGER IF EXISTS pagecache_new_version ON "{table}"'
        yield (
            f"CREATE TRIGGER pagecache_new_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION pagecache_new_version()'
        )


def install_triggers(using="default", **kwargs):
    """Creates (or re-creates) the triggers on every public table of database `using`."""
    connection = connections[using]
    statements = {"sqlite": _sqlite_statements, "postgresql": _postgresql_statements}
    if connection.vendor not in statements:
        raise NotImplementedError(f"The page cache has no triggers for {connection.vendor}.")
    existing = set(connection.introspection.table_names())
    tables = [m._meta.db_table for m in public_models() if m._meta.db_table in existing]
    with connection.cursor() as cursor:
        for statement in statements[connection.vendor](tables):
            cursor.execute(statement)
        # A new version for whatever the migration (or flush) changed, and the row exists.
        cursor.execute(_upsert(connection.vendor))
