"""On PostgreSQL each process hears of content changes (LISTEN/NOTIFY) instead of asking on every
hit; when its connection is cut, hits ask the database again, so nothing stale is served, until
it has reconnected and read the version again. On SQLite every hit reads the version.

The tests write through real, committed transactions (no test transaction: a notification is
only sent on commit) and cut the listener's connection with pg_terminate_backend, as a database
restart or failover would.
"""

import subprocess
import sys
from functools import partial

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic_site.core.pagecache.listener import (
    APPLICATION_NAME,
    NOT_LISTENING,
    listener,
    listening,
)
from clinic_site.core.pagecache.models import content_version
from conditions.models import Condition
from deploy.processes import free_port
from tests.clinic_site.core.pagecache.test_instances import REPO, fetch
from tests.contact.conftest import shared_database_url


def answers(port, process):
    """True once gunicorn on `port` answers; fails at once if it stopped."""
    assert process.poll() is None, "gunicorn stopped during start-up"
    try:
        fetch(port, "/robots.txt")
    except OSError:
        return False
    return True


pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGE = "/conditions/cluneal-nerve-entrapment/"
SLUG = "cluneal-nerve-entrapment"
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="LISTEN/NOTIFY is PostgreSQL's"
)


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def listener_sessions():
    """The pids of the listeners connected to the test database (not other runs' listeners)."""
    with psycopg.connect(shared_database_url().replace("postgres://", "postgresql://")) as other:
        return [
            pid
            for (pid,) in other.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %s "
                "AND datname = current_database()",
                [APPLICATION_NAME],
            )
        ]


def cut_listeners():
    """pg_terminate_backend on every listener of the test database; returns how many."""
    with psycopg.connect(
        shared_database_url().replace("postgres://", "postgresql://"), autocommit=True
    ) as other:
        cut = other.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
            "WHERE application_name = %s AND datname = current_database()",
            [APPLICATION_NAME],
        ).fetchall()
    assert cut and all(ok for (ok,) in cut)
    return len(cut)


def edit(title):
    """A committed edit, as staff or a fix in psql make it."""
    Condition.objects.filter(slug=SLUG).update(title=title)


@pytest.fixture
def listening_here(settings, wait_until):
    """This process's listener, started as the first request of a worker starts it."""
    settings.PAGECACHE_LISTEN = True
    settings.PAGECACHE_LISTEN_RETRY_SECONDS = 0.2
    listener.version()
    wait_until(lambda: listener.live, what="the listener to connect")
    yield listener
    listener.stop()


def test_sqlite_hits_read_the_version_once(client):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite side")
    assert not listening()
    client.get(PAGE)
    assert queries_of(client, PAGE)[0] == 1


@postgresql_only
def test_a_hit_asks_postgresql_nothing_and_an_edit_is_heard(client, listening_here, wait_until):
    client.get(PAGE)
    assert queries_of(client, PAGE)[0] == 0
    edit("Heard of at once")
    # PostgreSQL sends the notification as the transaction commits; a reader on another
    # connection asks once it has arrived (microseconds: bench/README.md, part A).
    wait_until(lambda: listener.version() == content_version(), what="the notification")
    count, page = queries_of(client, PAGE)
    assert "Heard of at once" in page and count > 0  # a fresh render
    assert queries_of(client, PAGE)[0] == 0


@postgresql_only
def test_while_the_listener_is_cut_every_hit_asks_the_database(
    client, listening_here, settings, wait_until
):
    client.get(PAGE)
    assert queries_of(client, PAGE)[0] == 0
    settings.PAGECACHE_LISTEN_RETRY_SECONDS = 3600  # it stays down for the rest of the test
    assert cut_listeners() == 1
    # The cut reaches this process as a notification does: the server's goodbye crosses the
    # network (here loopback, where a busy kernel can hold it back a moment after the server
    # process is gone). A hit sees it from then on, by the same non-blocking read.
    wait_until(lambda: listener.version() is NOT_LISTENING, what="the cut to reach the listener")
    edit("Edited while the listener was down")
    count, page = queries_of(client, PAGE)
    assert "Edited while the listener was down" in page
    assert not listener.live
    assert queries_of(client, PAGE)[0] == 1  # the stored page, checked by one read
    edit("Edited again")
    assert "Edited again" in queries_of(client, PAGE)[1]


@pytest.fixture
def two_postgresql_instances(production_site, tmp_path, wait_until):
    """Two gunicorn instances with production settings on the test database (one worker each,
    so each has one listener), reconnecting 1 s after a cut."""
    env = production_site | {
        "DATABASE_URL": shared_database_url(),
        "DJANGO_PAGECACHE_LISTEN_RETRY_SECONDS": "1",
    }
    ports, processes = [free_port(), free_port()], []
    try:
        for n, port in enumerate(ports):
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "clinic_site.wsgi",
                        "--workers",
                        "1",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--control-socket",
                        str(tmp_path / f"gunicorn-{n}.ctl"),
                    ],
                    cwd=REPO,
                    env=env,
                    stderr=subprocess.DEVNULL,
                )  # fmt: skip
            )
        for port, process in zip(ports, processes, strict=True):
            wait_until(partial(answers, port, process), timeout=30, what=f"gunicorn on {port}")
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


@postgresql_only
def test_every_instance_shows_an_edit_with_its_listener_up_cut_and_back(
    two_postgresql_instances, wait_until
):
    ports = two_postgresql_instances
    for port in ports:
        assert "Cluneal nerve entrapment" in fetch(port)
    wait_until(lambda: len(listener_sessions()) == 2, what="both instances' listeners")

    # Each instance hears of the edit as PostgreSQL delivers the notification (microseconds
    # after COMMIT returns on a quiet machine, milliseconds on a busy one: bench/README.md).
    edit("Heard by both")
    for port in ports:
        wait_until(lambda port=port: "Heard by both" in fetch(port), what=f"{port} to hear")

    # Cut: the very next request on each instance asks the database, so it is exact.
    assert cut_listeners() == 2
    edit("Edited while both were cut")
    for port in ports:
        assert "Edited while both were cut" in fetch(port)

    wait_until(lambda: len(listener_sessions()) == 2, what="both listeners to reconnect")
    edit("Heard again after the reconnection")
    for port in ports:
        wait_until(
            lambda port=port: "Heard again after the reconnection" in fetch(port),
            what=f"{port} to hear again",
        )
