"""Dumping and loading the site's database: SQLite and PostgreSQL, each with its own tools.

A dump is a snapshot of one moment even while the site keeps writing, and a load either
completes or leaves the database as it was.
"""

import os
import sqlite3
import subprocess

DUMP_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CLIENT_TOOLS_HINT = (
    "Install the PostgreSQL client tools of the same major version as the server "
    "(Debian and Ubuntu: the postgresql-client package)."
)


class BackupError(Exception):
    """A problem the operator can fix; the message says what happened and what to do."""


def dump_file_name(connection):
    """The dump's name inside a backup; refuses engines it cannot dump."""
    try:
        return DUMP_FILES[connection.vendor]
    except KeyError:
        raise BackupError(
            f"Backups support SQLite and PostgreSQL databases, not {connection.vendor}."
        ) from None


def describe(connection):
    """Which database this is, for messages (never the password)."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite database {settings_dict['NAME']}"
    host = settings_dict.get("HOST") or "the local server"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    engine = ENGINE_NAMES.get(connection.vendor, connection.vendor)
    return f"{engine} database {settings_dict['NAME']!r} on {host}{port}"


def table_names(connection):
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def dump(connection, path):
    """Write a snapshot of the whole database to `path`."""
    dump_file_name(connection)
    if connection.vendor == "sqlite":
        _dump_sqlite(connection, path)
    else:
        _dump_postgresql(connection, path)


def check_dump(vendor, path):
    """Refuse a dump the engine's own tools cannot read, before anything is changed."""
    if vendor == "sqlite":
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                result = source.execute("PRAGMA integrity_check").fetchall()
            finally:
                source.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"The database in the backup cannot be read: {exc}.") from None
        if result != [("ok",)]:
            raise BackupError("The database in the backup fails SQLite's integrity check.")
    else:
        # Reads the archive's table of contents: a dump from a newer pg_dump fails here.
        _run(["pg_restore", "--list", str(path)], dict(os.environ))


def load(connection, path):
    """Load a dump into the (empty) database: all of it, or nothing."""
    if connection.vendor == "sqlite":
        _load_sqlite(connection, path)
    else:
        _load_postgresql(connection, path)


# SQLite ---------------------------------------------------------------------------------------


def _dump_sqlite(connection, path):
    if connection.in_atomic_block:
        # SQLite would wait for ever on the connection's own open transaction.
        raise BackupError("A SQLite backup cannot be taken inside a transaction.")
    # SQLite's online backup API, in one step (the default), copies the database inside one
    # read transaction: a snapshot of one moment, while WAL mode lets the site go on writing.
    # Copying the file instead could catch a write half done, or miss what is still in the WAL.
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        # One self-contained file: no -wal or -shm companion is needed to read it.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def _load_sqlite(connection, path):
    # Through the backup API again, into the site's own connection: SQLite writes the pages
    # inside one transaction, so an error leaves the database as it was. Copying bytes over
    # the file would corrupt it under a connection that has it open in WAL mode.
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not load the backup: {exc}.") from None
    finally:
        source.close()


# PostgreSQL -----------------------------------------------------------------------------------


def _dump_postgresql(connection, path):
    # pg_dump reads every table inside one repeatable-read transaction: a snapshot of one
    # moment, while the site goes on writing. Custom format, so pg_restore can check the file
    # and load it in one transaction; uncompressed, because the backup file compresses it.
    command, env = _pg_command(
        connection, "pg_dump", "--format=custom", "--compress=0", f"--file={path}"
    )
    _run(command, env)


def _load_postgresql(connection, path):
    # One transaction: a dump that fails half way loads nothing. Objects belong to the user
    # the site connects as, whatever the original server's owners and grants were.
    command, env = _pg_command(
        connection,
        "pg_restore",
        "--single-transaction",
        "--exit-on-error",
        "--no-owner",
        "--no-privileges",
    )
    _run([*command, str(path)], env)


def _pg_command(connection, program, *options):
    """`program` connecting exactly as the site does.

    Django builds psql's command line for `dbshell` from DATABASES: user, host and port as
    arguments, the password and TLS settings in libpq's environment (never in the process
    list), and the database name last. pg_dump and pg_restore take the same connection
    arguments, and the name after --dbname.
    """
    args, env = connection.client.settings_to_cmd_args_env(
        connection.settings_dict, [*options, "--no-password", "--dbname"]
    )
    return [program, *args[1:]], {**os.environ, **(env or {})}


def _run(command, env):
    try:
        # No shell, a fixed program, and arguments built from the site's own settings.
        result = subprocess.run(  # noqa: S603
            command, env=env, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(f"{command[0]} was not found. {CLIENT_TOOLS_HINT}") from None
    if result.returncode:
        message = result.stderr.strip() or f"exit status {result.returncode}"
        raise BackupError(f"{command[0]} failed: {message}")
    return result.stdout
