"""The test database as tests/conftest.py's django_db_setup leaves it (migrated, the library
loaded), kept so that a transactional test can start from it again quickly.

Django restores it before each test with serialized rollback (every browser test, through the
`site` fixture) by calling `deserialize_db_from_string` on the connection's creation object:
that re-saves every row of the library, one model instance at a time (about half a second of
CPU per test here). `install()` makes that call copy the snapshot back instead:

- SQLite: the snapshot is an in-memory copy of the database file, taken and restored with
  SQLite's online backup API: the file becomes exactly what it was, page for page (the search
  index's FTS5 tables and every sequence included).
- PostgreSQL: each table's rows in COPY's binary format, put back with COPY after a DELETE,
  with triggers off for the session (`session_replication_role = replica`), so that the rows
  are exactly the snapshot's: no search-sync or page-version trigger adds rows of its own.
  Turning triggers off needs a superuser (as CI's `postgres` is); without one, Django's own
  deserialization is kept. The teardown's flush is quickened the same way (`_quick_flush`).

Either way the database a test starts from is the one Django's way would give it.
"""

import sqlite3

from django.db import connections, transaction


class SQLiteSnapshot:
    def __init__(self, connection):
        connection.ensure_connection()
        self.copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(self.copy)

    def restore(self, connection):
        connection.ensure_connection()
        self.copy.backup(connection.connection)


class PostgreSQLSnapshot:
    def __init__(self, connection):
        self.tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        quote = connection.ops.quote_name
        self.rows = {}
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for table in self.tables:
                with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT (FORMAT BINARY)") as copy:
                    self.rows[table] = b"".join(bytes(chunk) for chunk in copy)

    @staticmethod
    def can_restore(connection):
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            return bool(cursor.fetchone()[0])

    def restore(self, connection):
        quote = connection.ops.quote_name
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            for table in self.tables:  # a few hundred rows: DELETE is quicker than TRUNCATE
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - a model's own table
            for table, rows in self.rows.items():
                with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)") as copy:
                    copy.write(rows)


def take(connection):
    """A snapshot of the database behind `connection`, or None where none can be restored."""
    if connection.vendor == "sqlite":
        return SQLiteSnapshot(connection)
    if connection.vendor == "postgresql" and PostgreSQLSnapshot.can_restore(connection):
        return PostgreSQLSnapshot(connection)
    return None


def _quick_flush(ops_class):
    """PostgreSQL: a transactional test's teardown empties every table with one TRUNCATE of
    them all, which costs about a second here however few rows there are (every table gets new
    files). Emptying them with DELETE, triggers off, leaves the same empty tables in a tenth of
    the time. Sequences are left as TRUNCATE leaves them (not reset); a flush that asks for
    them reset, or for CASCADE, is Django's own."""
    django_sql_flush = ops_class.sql_flush

    def sql_flush(ops, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return django_sql_flush(
                ops, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        deletes = [f"DELETE FROM {ops.quote_name(table)}" for table in tables]  # noqa: S608
        return ["SET LOCAL session_replication_role = replica", *deletes]

    ops_class.sql_flush = sql_flush


def install(snapshot, alias):
    """From now on, Django's restore of the database `alias` for a serialized-rollback test
    copies `snapshot` back (the serialized string Django passes is not read). The connection
    Django passes may be another object than the one the snapshot was taken on (connections
    are context-local): it is the same database."""
    creation_class = type(connections[alias].creation)
    django_restore = creation_class.deserialize_db_from_string

    def deserialize_db_from_string(creation, data):
        if creation.connection.alias != alias:
            return django_restore(creation, data)
        return snapshot.restore(creation.connection)

    creation_class.deserialize_db_from_string = deserialize_db_from_string
    if isinstance(snapshot, PostgreSQLSnapshot):
        _quick_flush(type(connections[alias].ops))
