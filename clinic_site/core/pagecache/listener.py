"""The content version without a database round trip per page hit, on PostgreSQL.

The triggers (triggers.py) NOTIFY the channel `pagecache_version` with each new version as they
write it. In each process one thread LISTENs on a connection of its own and keeps the last
version heard, so a page hit reads a Python attribute instead of asking the database.

Exact, and what it costs:

- PostgreSQL sends a notification when the writing transaction commits, to every listener at
  once, in commit order; the payload is the version the transaction wrote. A hit first reads
  whatever has already reached the listener's socket (a non-blocking `select`, no round trip),
  so a notification the thread has not had the time to read yet is not missed. What remains
  is PostgreSQL's own delivery: microseconds after COMMIT returns to the writer, milliseconds
  on a busy machine (`make bench` reports it). A request that arrives inside that window, from
  a client that saw the COMMIT, can be answered with the page as it was just before.
- Until the thread has connected, LISTENed and then read the version (in that order, so no
  change falls between), and whenever its connection is lost (a restart or failover of the
  database, `pg_terminate_backend`, a cut network), every hit reads the version from the
  database as before: exact, one primary-key read. A hit notices the loss by the same
  non-blocking read, once the server's goodbye has reached the socket: as with a
  notification, a hit inside that delivery window can still trust the version last heard.
  The thread reconnects on its own, then reads the version again before hits trust it. A
  silent network failure is noticed by TCP keepalives within seconds (`KEEPALIVES`).
- A connection inside a transaction (a test, or code in `transaction.atomic()`) may see its
  own uncommitted writes, which nobody has been notified of: it reads the database.
- Started lazily, by the first request of each process (so after gunicorn forks, never in
  its master), and again in a forked child: a connection is never shared across a fork.

SQLite (one machine, no server to notify) keeps the per-request primary-key read of a local
file: exact, and cheap enough (bench/README.md, part A). `DJANGO_PAGECACHE_LISTEN=false`
turns the listener off on PostgreSQL too; the tests do that, except those about it.
"""

import contextlib
import os
import select
import threading

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from .models import ContentVersion, content_version

CHANNEL = "pagecache_version"
# How the listener's connection shows in pg_stat_activity (and how tests find it to cut it).
APPLICATION_NAME = "clinic-pagecache-listener"
# A silent network failure drops the connection after about 2 + 2 × 1 seconds of silence.
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 2, "keepalives_interval": 1,
              "keepalives_count": 2}  # fmt: skip
NOT_LISTENING = object()


class VersionListener:
    """The last content version PostgreSQL notified, kept by one thread per process."""

    def __init__(self, using=DEFAULT_DB_ALIAS):
        self.using = using
        self._lock = threading.Lock()
        self._conn = None  # the live connection, once LISTEN and the first read are done
        self._version = None
        self._pid = None
        self._stop = threading.Event()
        self._inherited = []  # connections of a parent process: kept, never used or closed
        self.connects = 0  # how many times the thread has (re)connected

    def version(self):
        """The current version, or NOT_LISTENING when the caller must read the database."""
        if self._pid != os.getpid():
            self._start()
        with self._lock:
            conn = self._conn
            if conn is None:
                return NOT_LISTENING
            try:
                self._drain(conn, select.select([conn.pgconn.socket], [], [], 0)[0])
            except (psycopg.Error, OSError, ValueError):
                self._drop(conn)
                return NOT_LISTENING
            return self._version

    @property
    def live(self):
        return self._conn is not None and self._pid == os.getpid()

    def stop(self):
        """Ends the thread and closes its connection (tests; a process simply exits)."""
        self._stop.set()
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()
        self._pid = None

    # The thread ------------------------------------------------------------------------------

    def _start(self):
        with self._lock:
            if self._pid == os.getpid():
                return
            if self._conn is not None:
                # Forked with the parent's connection: closing it here would close the
                # parent's session too (the socket is shared), so it is only set aside.
                self._inherited.append(self._conn)
                self._conn = None
            self._pid = os.getpid()
            self._stop = threading.Event()
            threading.Thread(
                target=self._run, args=(self._pid, self._stop), daemon=True,
                name="pagecache-listener",
            ).start()  # fmt: skip

    def _run(self, pid, stop):
        while not stop.is_set() and os.getpid() == pid:
            conn = None
            try:
                conn, version = self._connect()
                with self._lock:
                    if stop.is_set():
                        break
                    self._conn, self._version = conn, version
                    self.connects += 1
                while not stop.is_set():
                    readable = select.select([conn.pgconn.socket], [], [], 1.0)[0]
                    with self._lock:
                        if self._conn is not conn:
                            break  # dropped by a request that found it broken
                        self._drain(conn, readable)
            except (psycopg.Error, OSError, ValueError):
                pass
            with self._lock:
                self._drop(conn)
            stop.wait(settings.PAGECACHE_LISTEN_RETRY_SECONDS)

    def _connect(self):
        params = connections[self.using].get_connection_params()
        params = {k: v for k, v in params.items() if k not in ("cursor_factory", "context")}
        conn = psycopg.connect(
            **params, **KEEPALIVES, autocommit=True, application_name=APPLICATION_NAME
        )
        table = connections[self.using].ops.quote_name(ContentVersion._meta.db_table)
        # Notifications psycopg reads while it runs the two statements below are handed to
        # this handler, not left for `_drain`: each comes from a commit after LISTEN, so
        # applied in order after the version read, the last one is the newest version.
        heard = []
        conn.add_notify_handler(lambda notice: heard.append(notice))
        try:
            conn.execute(f"LISTEN {CHANNEL}")
            row = conn.execute(f"SELECT version FROM {table} WHERE id = 1").fetchone()  # noqa: S608
        except BaseException:
            conn.close()
            raise
        version = row[0] if row else None
        for notice in heard:
            if notice.channel == CHANNEL:
                version = int(notice.payload)
        return conn, version

    def _drain(self, conn, readable):
        """Applies every notification that has arrived (the caller holds the lock): read from
        the socket when it is `readable`, and any libpq holds already read but not parsed."""
        pgconn = conn.pgconn
        if readable:
            pgconn.consume_input()
        while (notice := pgconn.notifies()) is not None:
            if notice.relname.decode() == CHANNEL:
                self._version = int(notice.extra)
        if pgconn.status != psycopg.pq.ConnStatus.OK:
            raise psycopg.OperationalError("the listener's connection is closed")

    def _drop(self, conn):
        """Forgets a broken connection (the caller holds the lock): hits read the database."""
        if conn is None:
            return
        if self._conn is conn:
            self._conn = None
        with contextlib.suppress(Exception):
            conn.close()


listener = VersionListener()


def listening(using=DEFAULT_DB_ALIAS):
    return (
        using == DEFAULT_DB_ALIAS
        and settings.PAGECACHE_LISTEN
        and connections[using].vendor == "postgresql"
    )


def current_version(using=DEFAULT_DB_ALIAS):
    """The content version: as last notified when the listener is live and this connection is
    outside a transaction (no query), else one primary-key read (content_version)."""
    if listening(using) and not connections[using].in_atomic_block:
        version = listener.version()
        if version is not NOT_LISTENING:
            return version
    return content_version(using)
