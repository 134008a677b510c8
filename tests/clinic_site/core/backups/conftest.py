"""Fixtures for the backup tests: new databases beside the test database, the site's commands
run as separate processes (as cron and an operator run them), and listings to compare.

The engine under test is the one the suite runs on: SQLite by default, PostgreSQL when
DATABASE_URL says so (CI runs both).
"""

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.db.utils import load_backend

MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"
COMMAND_TIMEOUT = 180


@dataclass
class ScratchDatabase:
    settings_dict: dict
    url: str


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR


def _admin_connection():
    import psycopg

    params = connection.settings_dict
    return psycopg.connect(
        dbname=params["NAME"],
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        autocommit=True,
    )


def _drop(admin, name):
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scratch_database(tmp_path):
    """A factory of new, empty databases of the engine under test: `scratch_database("x")`.

    SQLite: a new file (created on first connection). PostgreSQL: a database named after the
    test database (so two runs with different DATABASE_URLs never collide), dropped after the
    test.
    """
    created = []

    def make(label):
        if connection.vendor == "sqlite":
            name = str(tmp_path / f"{label}.sqlite3")
            url = f"sqlite:///{name}"
        else:
            name = f"{connection.settings_dict['NAME']}_{label}"
            with _admin_connection() as admin:
                _drop(admin, name)
                admin.execute(f'CREATE DATABASE "{name}"')
            created.append(name)
            # The suite's own DATABASE_URL with another database name keeps every other part.
            parts = urlsplit(os.environ["DATABASE_URL"])
            url = urlunsplit(parts._replace(path=f"/{name}"))
        return ScratchDatabase(settings_dict={**connection.settings_dict, "NAME": name}, url=url)

    yield make
    if created:
        with _admin_connection() as admin:
            for name in created:
                _drop(admin, name)


@pytest.fixture
def open_database():
    """`open_database(settings_dict)`: a Django connection of its own to another database,
    closed after the test. It converts values exactly as the site's connection does, so rows
    read through both compare equal."""
    opened = []

    def open_(settings_dict):
        backend = load_backend(settings_dict["ENGINE"])
        wrapper = backend.DatabaseWrapper(settings_dict, alias="backup-check")
        opened.append(wrapper)
        return wrapper

    yield open_
    for wrapper in opened:
        wrapper.close()


@pytest.fixture
def every_row():
    """`every_row(connection)`: every row of every table, with the sequences that number new
    rows, in an order that does not depend on how the rows were stored."""

    def listing(wrapper):
        tables = {}
        with wrapper.cursor() as cursor:
            for table in wrapper.introspection.table_names(cursor):
                # Table names come from the database's own catalogue, quoted.
                cursor.execute(f"SELECT * FROM {wrapper.ops.quote_name(table)}")  # noqa: S608
                tables[table] = sorted(cursor.fetchall(), key=repr)
            if wrapper.vendor == "sqlite":
                cursor.execute("SELECT name, seq FROM sqlite_sequence")
            else:
                cursor.execute(
                    "SELECT sequencename, last_value FROM pg_sequences "
                    "WHERE schemaname = current_schema()"
                )
            tables["(sequences)"] = sorted(cursor.fetchall())
        return tables

    return listing


@pytest.fixture
def files_under():
    """`files_under(folder)`: {relative path: bytes} for every file below `folder`."""

    def listing(folder):
        folder = Path(folder)
        if not folder.exists():
            return {}
        return {
            path.relative_to(folder).as_posix(): path.read_bytes()
            for path in folder.rglob("*")
            if path.is_file()
        }

    return listing


@pytest.fixture
def site_env(tmp_path):
    """`site_env(database_url, media_root)`: the environment of a site process using that
    database and that uploaded-files folder (development settings, email kept in memory)."""

    def env(database_url, media_root, **extra):
        return {
            **os.environ,
            "DJANGO_DEBUG": "true",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "DATABASE_URL": database_url,
            "DJANGO_MEDIA_ROOT": str(media_root),
            "BACKUP_DIR": str(tmp_path / "backups"),
            **extra,
        }

    return env


@pytest.fixture
def manage(site_env):
    """`manage("restore", path, database_url=..., media_root=...)`: runs manage.py in a new
    process, as an operator would, and returns the finished process (never raises on its exit
    status: tests check it)."""

    def run(*args, database_url, media_root, **extra_env):
        return subprocess.run(
            [sys.executable, str(MANAGE_PY), *args],
            env=site_env(database_url, media_root, **extra_env),
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )

    return run


@pytest.fixture
def manage_process(site_env):
    """`manage_process("shell", "-c", code, database_url=..., media_root=...)`: starts
    manage.py in a new process that keeps running (its output readable line by line), and
    stops it after the test if the test has not."""
    started = []

    def start(*args, database_url, media_root, **extra_env):
        process = subprocess.Popen(
            [sys.executable, str(MANAGE_PY), *args],
            env=site_env(database_url, media_root, **extra_env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=COMMAND_TIMEOUT)


@pytest.fixture
def write_backup_file():
    """`write_backup_file(path, {name: bytes}, vendor=..., listed=...)`: a backup file built by
    hand, for the cases `backup` never writes. The manifest lists `listed` ({name: bytes},
    default: the files themselves) with their checksums."""

    def write(path, files, *, vendor="sqlite", listed=None):
        dump_name = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[vendor]
        listed = files if listed is None else listed
        manifest = {
            "format": 1,
            "created_at": "2026-11-15T08:00:00+00:00",
            "database": {"vendor": vendor, "file": dump_name, "tables": 1},
            "files": {name: hashlib.sha256(data).hexdigest() for name, data in listed.items()},
        }
        members = {**files, "manifest.json": json.dumps(manifest).encode()}
        with gzip.open(path, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        return path

    return write
