"""Shared fixtures. Tests run with development settings (debug off at run time, as pytest-django
does) against a real database: SQLite by default, PostgreSQL when DATABASE_URL says so."""

import fcntl
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.signals import clear_cache_handlers
from django.urls import reverse

from clinic_site.pagecache.middleware import pages
from tests.factories import sign_in


def sqlite():
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


# Fixtures that start other processes (manage.py, gunicorn, task workers, collectstatic): a test
# using one is marked `process`, and `make test-fast` leaves it out. Tests that start a process
# themselves carry the mark in their module.
PROCESS_FIXTURES = {
    "task_workers",
    "two_sites",
    "manage",
    "manage_process",
    "production_site",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if PROCESS_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.process)


def pytest_configure(config):
    _refuse_reused_databases(config)
    _one_cache_prefix_per_worker(config)


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


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """On SQLite the test database is a file next to the development one, not memory: tests
    start real worker processes (tests/contact/test_tasks.py) that must open the same database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if sqlite() and not database.get("TEST", {}).get("NAME"):
        suffix = getattr(request.config, "workerinput", {}).get("workerid")  # pytest-xdist
        path = Path(database["NAME"])
        name = f"test_{path.stem}{'_' + suffix if suffix else ''}{path.suffix}"
        database.setdefault("TEST", {})["NAME"] = str(path.with_name(name))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds the clinic's library, published, as `make run` shows it: the
    pages of conditions/content/, loaded by `load_content --publish` once per run."""
    from django.db import connection

    from clinic_site.search.tasks import one_refresh
    from conditions.library import load

    with django_db_blocker.unblock():
        with one_refresh():  # one rebuild of search's word list, before the snapshot below
            load(publish=True)
        # What serialized_rollback restores after a transactional test: the library too.
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture(scope="session")
def production_site(tmp_path_factory):
    """The environment of a copy of the site as production runs it, for tests that start it in
    processes of their own: debug off, its own SQLite database migrated with the library
    published, static files collected (hashed, gzip and brotli). Built once per run, not once
    per test or per module: collectstatic is the slowest step of those tests. Under
    pytest-xdist the first worker to ask builds it in the run's shared folder, under a lock,
    and the others use it."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root, settings_file = shared / "production-site", shared / "production-site.json"
    with open(shared / "production-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if settings_file.exists():
            return json.loads(settings_file.read_text())
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
        for command in (
            ["migrate", "--noinput"],
            ["load_content", "--publish"],
            ["collectstatic", "--noinput"],
        ):
            subprocess.run(
                [sys.executable, "manage.py", *command, "-v0"],
                cwd=Path(__file__).resolve().parents[1],
                env=env,
                check=True,
                timeout=600,
            )
        settings_file.write_text(json.dumps(env))
        return env


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a fresh folder per test (cookiecutter's habit)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: stored pages and rate limits never leak between
    tests (with Redis, too)."""
    cache.clear()
    pages.clear()
    yield
    cache.clear()
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
    process (a task worker, a gunicorn instance, the cluster)."""

    def wait(condition, *, timeout=20, what=""):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.05)
        pytest.fail(f"Gave up after {timeout} s waiting for {what or condition}")

    return wait
