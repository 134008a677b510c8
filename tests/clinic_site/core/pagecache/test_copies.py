"""A worker restarted while the database is out of reach still answers readers with the pages
any worker rendered before, when Redis keeps their copies; without Redis it has none.

Real gunicorn processes with production settings: one renders the page and stops; another
starts with its database unreachable (a folder that does not exist), as after a restart during
an outage, with nothing in its memory.
"""

import secrets
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from deploy.processes import free_port
from tests.clinic_site.core.pagecache.test_instances import REPO

PAGE = "/conditions/cluneal-nerve-entrapment/"
STALE = "clinic; hit; detail=database-unreachable"


def get(port, path):
    """(status, headers, body) of a GET, whatever the status."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class Gunicorn:
    def __init__(self, env, ctl):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "clinic_site.wsgi", "--workers", "1",
             "--bind", f"127.0.0.1:{self.port}", "--control-socket", str(ctl)],
            cwd=REPO, env=env, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def answers(self):
        assert self.process.poll() is None, "gunicorn stopped during start-up"
        try:
            get(self.port, "/robots.txt")
        except OSError:
            return False
        return True

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def site_env(production_site):
    """The production site with this run's Redis (if any), under a key prefix of its own."""
    prefix = f"clinic-copies-test-{secrets.token_hex(4)}"
    env = production_site | {"REDIS_URL": settings.REDIS_URL, "DJANGO_CACHE_PREFIX": prefix}
    yield env
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)


def test_a_restarted_worker_answers_from_the_copies_in_redis(site_env, tmp_path, wait_until):
    before = Gunicorn(site_env, tmp_path / "before.ctl")
    try:
        wait_until(before.answers, timeout=30, what="the first gunicorn")
        status, headers, first = get(before.port, PAGE)
        assert status == 200 and "Cache-Status" not in headers
    finally:
        before.stop()

    gone = f"sqlite:///{tmp_path / 'gone' / 'db.sqlite3'}"
    after = Gunicorn(site_env | {"DATABASE_URL": gone}, tmp_path / "after.ctl")
    try:
        wait_until(after.answers, timeout=30, what="the restarted gunicorn")
        status, headers, body = get(after.port, PAGE)
        never_rendered = get(after.port, "/treatments/cryoablation/")
    finally:
        after.stop()
    if settings.REDIS_URL:
        assert status == 200 and body == first
        assert headers["Cache-Status"] == STALE and headers["Age"].isdigit()
    else:
        assert status == 503 and 'href="tel:+15744047246"' in body
    assert never_rendered[0] == 503 and 'href="tel:+15744047246"' in never_rendered[2]
