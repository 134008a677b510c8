"""The database triggers that give ContentVersion a new value whenever public content changes.

Installed after every migrate and flush (apps.py), idempotently. PostgreSQL fires one trigger
per statement (so a bulk update costs one write), and NOTIFYs the new version on the channel
each process listens on (listener.py); SQLite only has row triggers.
"""

from django.db import connections

from .listener import CHANNEL
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
    # The new version, and a notification carrying it, sent by PostgreSQL when (and only if)
    # the transaction commits.
    yield (
        "CREATE OR REPLACE FUNCTION pagecache_bump_version() RETURNS bigint "
        "LANGUAGE plpgsql AS $$ DECLARE new_version bigint; BEGIN "
        f"{_upsert('postgresql')} RETURNING version INTO new_version; "
        f"PERFORM pg_notify('{CHANNEL}', new_version::text); RETURN new_version; END $$"
    )
    yield (
        "CREATE OR REPLACE FUNCTION pagecache_new_version() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN PERFORM pagecache_bump_version(); RETURN NULL; END $$"
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
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pagecache_bump_version()")
        else:
            cursor.execute(_upsert(connection.vendor))
