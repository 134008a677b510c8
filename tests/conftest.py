"""Shared fixtures. Tests run with development settings (debug off at run time, as pytest-django
does) against a real database: SQLite by default, PostgreSQL when DATABASE_URL says so."""

import logging
import os
import secrets
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.test.signals import clear_cache_handlers
from django.urls import reverse
from pytest_django.plugin import blocking_manager_key

from clinic_site.core.pagecache.middleware import pages
from deploy import processes
from deploy.processes import free_port, gunicorn_command
from tests import databases, per_run, snapshot
from tests.factories import sign_in

BASE_DIR = Path(__file__).resolve().parents[1]


# Fixtures that start other processes (manage.py, gunicorn, task workers, collectstatic): a test
# using one is marked `process`, and `make test-fast` leaves it out. Tests that start a process
# themselves carry the mark in their module.
PROCESS_FIXTURES = {
    "gunicorn",
    "task_workers",
    "two_sites",
    "manage",
    "manage_process",
    "production_site",
}


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Marks the tests that start processes (before `-m` selects), then, once pytest-django has
    put the tests in its order (rolled back, then committing), puts first the tests that need
    neither the database nor a process: the workers run them while the template database is
    built (tests/databases.py). The non-database tests that start processes go last, where
    what they wait for (the production copy of the site) is built. pytest-django's order among
    the database tests is kept."""
    for item in items:
        if PROCESS_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.process)
    yield
    items.sort(key=_place)


# What makes pytest-django give a test the database (or a test need the template).
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup"}


def _place(item):
    if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames):
        return 1
    return 2 if item.get_closest_marker("process") else 0


def pytest_configure(config):
    _refuse_reused_databases(config)
    _one_cache_prefix_per_worker(config)
    # aiosmtpd (the tests' mail server) notes each closed connection at INFO, from its own
    # thread, sometimes after pytest has closed the stream: a "Logging error" trace, no failure.
    logging.getLogger("mail.log").setLevel(logging.WARNING)


def _refuse_reused_databases(config):
    """Test databases are built afresh every run, with every backend. A run that ends with a
    transactional test leaves its database flushed of the rows the migrations wrote (roles, body
    areas), and the library would not load into it again: --reuse-db cannot work here."""
    if config.option.reuse_db and not config.option.create_db:
        raise pytest.UsageError(
            "--reuse-db: the test databases are built afresh every run (tests/conftest.py)."
        )


def _one_cache_prefix_per_worker(config):
    """With Redis, pytest-xdist's workers share one Redis database: each gets its own key prefix
    (also passed on to the processes its tests start), and clearing the cache deletes that
    prefix's keys only (tests/redis_cache.py), not another worker's rate limits."""
    from django.conf import settings

    default = settings.CACHES["default"]
    if default["BACKEND"] != "django_redis.cache.RedisCache":
        return
    worker = getattr(config, "workerinput", {}).get("workerid", "main")
    prefix = f"{default.get('KEY_PREFIX', '')}-test-{worker}-{os.getpid()}"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            **default,
            "BACKEND": "tests.redis_cache.PrefixOnlyRedisCache",
            "KEY_PREFIX": prefix,
        },
    }
    os.environ["DJANGO_CACHE_PREFIX"] = prefix
    clear_cache_handlers(setting="CACHES")  # connections made before now use the new settings


def pytest_sessionstart(session):
    """The Spanish pages need the compiled catalogue (not committed: `make` builds it). Without
    it every Spanish test would fail on English text, far from the cause."""
    catalogue = Path(__file__).resolve().parents[1] / "locale" / "es" / "LC_MESSAGES"
    source, compiled = catalogue / "django.po", catalogue / "django.mo"
    if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
        pytest.exit("The Spanish catalogue is not compiled: run `make install-dev` first.", 2)
    if session.config.pluginmanager.hasplugin("dsession"):  # pytest-xdist's controller
        databases.start_building(session.config)


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    """The test database's name (tests/databases.py)."""
    databases.name_test_database()


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_modify_db_settings, django_db_blocker
):
    """Every test database holds the clinic's library, published, as `make run` shows it: the
    pages of conditions/content/, loaded by `load_content --publish`. The run builds it once
    and each worker uses a copy (tests/databases.py)."""
    from django.db import connection

    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    with django_db_blocker.unblock():
        original = databases.set_up(request.config, worker)
        # What serialized_rollback restores after a transactional test: the library too. A
        # snapshot copied back (tests/snapshot.py) where the backend allows, else Django's
        # serialized rows.
        if found := snapshot.take(connection):
            snapshot.install(found, connection.alias)
            connection._test_serialized_contents = "(copied back from tests/snapshot.py)"
        else:
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        databases.tear_down(original)


def pytest_sessionfinish(session):
    """The controller (or the one process of a run without workers) drops the run's template
    database once the tests are done."""
    if hasattr(session.config, "workerinput"):
        return
    with session.config.stash[blocking_manager_key].unblock():
        databases.drop_template(session.config)


class ProductionSite:
    """The environment of a copy of the site as production runs it, for tests that start it in
    processes of their own: debug off, its own SQLite database migrated with the library
    published, static files collected (hashed, gzip and brotli).

    Built once per run, not once per test: collectstatic alone takes half a minute on a busy
    machine. Under pytest-xdist the first worker to ask builds it in the run's shared folder,
    under a lock, and the others use it. And it is built in the background from the moment the
    tests are collected (`pytest_collection_finish`), while other tests run, so the tests that
    use it rarely wait for it."""

    def __init__(self, config):
        self.config = config
        self.thread, self.env, self.error = None, None, None

    def start(self):
        self.thread = threading.Thread(target=self._build, name="production-site", daemon=True)
        self.thread.start()

    def get(self):
        if self.thread is None:
            self._build()
        else:
            self.thread.join()
        if self.error is not None:
            raise RuntimeError(f"The production copy of the site could not be built: {self.error}")
        return self.env

    def _build(self):
        try:
            self.env = per_run.once(self.config, "production-site", self._build_once)
        except Exception as error:  # noqa: BLE001 - reported by get(), in the test that needs it
            self.error = error

    def _build_once(self):
        root = per_run.shared_folder(self.config) / "production-site"
        root.mkdir()
        env = {
            **{
                k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))
            },
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,clinic.example",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_STATIC_ROOT": str(root / "static"),
            "DATABASE_URL": f"sqlite:///{root / 'db.sqlite3'}",
            "REDIS_URL": "",
        }

        def manage(*command):
            return subprocess.Popen(
                [sys.executable, "manage.py", *command, "-v0"], cwd=BASE_DIR, env=env
            )

        # collectstatic touches no database: it runs beside migrate and load_content.
        steps = [manage("collectstatic", "--noinput")]
        try:
            for command in (["migrate", "--noinput"], ["load_content", "--publish"]):
                steps.append(manage(*command))
                _finished(steps[-1])
            _finished(steps[0])
        finally:
            for step in steps:
                if step.poll() is None:
                    step.kill()
                    step.wait()
        return env


def _finished(process, timeout=600):
    try:
        returncode = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{process.args} still running after {timeout} s") from None
    if returncode:
        raise subprocess.CalledProcessError(returncode, process.args)


PRODUCTION_SITE = pytest.StashKey[ProductionSite]()


def pytest_collection_finish(session):
    """Starts building the production copy of the site if a test of this run needs it."""
    if session.config.option.collectonly:
        return
    if any("production_site" in getattr(item, "fixturenames", ()) for item in session.items):
        site = session.config.stash[PRODUCTION_SITE] = ProductionSite(session.config)
        site.start()


@pytest.fixture(scope="session")
def production_site(request):
    """The environment (a dict) of the production copy of the site (ProductionSite)."""
    site = request.config.stash.get(PRODUCTION_SITE, None) or ProductionSite(request.config)
    return site.get()


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashing():
    """Production's password hasher spends most of a second on each password, by design; the
    tests set and check passwords by the hundred (every admin_client), and none tests the
    hasher. Processes the tests start keep production's."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _search_vocabulary(request):
    """Saves rebuild search's vocabulary (titles, "also called" terms, synonyms) as the task
    worker does in production only in tests marked `vocabulary`: search's own, and any other
    that reads suggestions after a change. Elsewhere a save skips it, and the vocabulary stays
    the library's: 1,300 rebuilds of 60 ms each were a quarter of `make test-fast`, for tests
    that never read them."""
    if request.node.get_closest_marker("vocabulary"):
        yield
        return
    from clinic_site.sitewide.search.apps import connect_refresh, disconnect_refresh

    disconnect_refresh()
    try:
        yield
    finally:
        connect_refresh()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a fresh folder per test (cookiecutter's habit)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: stored pages, page parts and rate limits never leak
    between tests (with Redis, too)."""
    _clear_caches()
    yield
    _clear_caches()


def _clear_caches():
    cache.clear()
    caches["chrome"].clear()
    pages.clear()


@pytest.fixture
def admin_client(admin_user):
    """pytest-django's admin_client (a client of its own, beside `client`), signed in through
    both factors as the admin requires."""
    return sign_in(Client(), admin_user)


@pytest.fixture
def secret_admin_address(settings):
    """The admin moved to a secret-looking address, as DJANGO_ADMIN_URL moves it (settings are
    read once at start-up, so the URLconf is swapped too: tests/secret_admin_urls.py). Returns
    the address without slashes."""
    from tests.secret_admin_urls import SECRET_ADMIN_URL

    settings.ADMIN_URL = SECRET_ADMIN_URL
    settings.ROOT_URLCONF = "tests.secret_admin_urls"
    # The move took: the admin is named at the secret address.
    assert reverse("admin:index") == f"/{SECRET_ADMIN_URL}"
    return SECRET_ADMIN_URL.strip("/")


@pytest.fixture
def wait_until():
    """`wait_until(condition, timeout=…, what=…)`: polls until condition() is true; fails the
    test, saying what it waited for, when the time runs out. For tests that wait on another
    process (a task worker, a gunicorn instance, the cluster), or, with `pause=`, on what
    Playwright reports (deploy/processes.py)."""

    def wait(condition, *, timeout=20, what="", **options):
        try:
            processes.wait_until(condition, timeout=timeout, what=what, **options)
        except TimeoutError as error:
            pytest.fail(str(error))

    return wait


class Gunicorn:
    """One gunicorn serving the site on loopback (deploy/processes.py's command line)."""

    def __init__(self, port, process, log_path):
        self.port, self.process, self.log_path = port, process, log_path
        self.url = f"http://127.0.0.1:{port}"

    def log(self):
        return self.log_path.read_text(errors="replace")

    def answers(self, workers):
        """True once every worker has booted and the site answers; fails the test, with the
        end of the log, if gunicorn stopped instead."""
        assert self.process.poll() is None, f"gunicorn stopped:\n{self.log()[-3000:]}"
        if self.log().count("Booting worker") < workers:
            return False
        try:
            with urllib.request.urlopen(f"{self.url}/robots.txt", timeout=5) as response:  # noqa: S310 - loopback
                return response.status == 200
        except OSError:
            return False

    def terminate(self):
        """SIGTERM to its process group (then `wait_stopped`)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)

    def wait_stopped(self):
        """Waits for it to stop; SIGKILL to its group if it has not after 30 s."""
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


class GunicornLauncher:
    """What the `gunicorn` fixture gives a test."""

    def __init__(self, folder, wait_until):
        self.folder, self.wait_until = folder, wait_until
        self.started = []

    def __call__(self, env, *, workers=1):
        """Starts one server and returns it once it answers."""
        return self.several(1, env, workers=workers)[0]

    def several(self, count, env, *, workers=1):
        """Starts `count` servers side by side, and returns them once every one answers."""
        servers = [self._start(env, workers) for _ in range(count)]
        for server in servers:
            self.wait_until(
                lambda server=server: server.answers(workers),
                timeout=60,
                what=f"gunicorn on {server.port} to start",
            )
        return servers

    def _start(self, env, workers):
        number = len(self.started)
        port, log_path = free_port(), self.folder / f"gunicorn-{number}.log"
        command = gunicorn_command(
            port, workers=workers, control_socket=self.folder / f"gunicorn-{number}.ctl"
        )
        with open(log_path, "wb") as log:  # the child keeps its own copy
            process = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Gunicorn(port, process, log_path)
        self.started.append(server)
        return server

    def stop_all(self):
        for server in self.started:  # all told at once: they stop side by side
            server.terminate()
        for server in self.started:
            server.wait_stopped()


@pytest.fixture
def gunicorn(tmp_path, wait_until):
    """`gunicorn(env, workers=1)`: starts the site under gunicorn on a free loopback port with
    the environment `env`, in a process group of its own, and returns once every worker has
    booted and the site answers: a `Gunicorn` with its `url`, `port` and `log()`.
    `gunicorn.several(2, env)` starts two side by side. Every server started is stopped when
    the test ends, however it ends. The one way tests start gunicorn."""
    launcher = GunicornLauncher(tmp_path, wait_until)
    try:
        yield launcher
    finally:
        launcher.stop_all()
