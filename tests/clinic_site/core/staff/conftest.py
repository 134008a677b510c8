"""Fixtures for the staff sign-in tests: a staff member with a password and an authenticator
app, and a way to drive the two sign-in steps with the test client."""

import datetime
import http.client
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from tests.factories import AuthenticatorFactory

PASSWORD = "plum-orchard-lantern-47"
BASE_DIR = Path(__file__).resolve().parents[4]


@pytest.fixture(autouse=True)
def _sign_in_settings(settings):
    """The limits the tests assume, whatever the environment says. django-otp's own growing
    delay after a wrong code (1 s, 2 s, 4 s...) is off: these tests check replay protection
    and the lockout, not that timer."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    settings.STAFF_SESSION_MAX_HOURS = 12
    settings.CLIENT_IP_HEADER = ""
    # Production's password hasher takes most of a second per check, by design; these tests
    # check passwords by the dozen, and what they test does not depend on the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def dana(db):
    """An editor with a password, not yet enrolled."""
    user = User.objects.create_user("dana", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def dana_app(dana):
    """Dana's authenticator app."""
    return AuthenticatorFactory(user=dana)


class SignIn:
    """The two sign-in steps, as a browser would post them."""

    def __init__(self, client):
        self.client = client

    def password(self, username, password=PASSWORD, next_url=None, **meta):
        data = {"username": username, "password": password}
        if next_url is not None:
            data["next"] = next_url
        return self.client.post(reverse("admin:login"), data, **meta)

    def code(self, code, **meta):
        return self.client.post(reverse("admin:staff_verify"), {"code": code}, **meta)

    def enrol(self, code, **meta):
        return self.client.post(reverse("admin:staff_enrol"), {"code": code}, **meta)

    def sign_out(self):
        return self.client.post(reverse("admin:logout"))


@pytest.fixture
def signing_in(client):
    return SignIn(client)


@pytest.fixture
def new_sign_in():
    """`new_sign_in()`: the two steps on a client of its own, as from another browser."""
    return lambda: SignIn(Client())


# Two sites on one database, as two machines would be ------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/robots.txt")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@pytest.fixture
def two_sites(tmp_path, password, wait_until):
    """Two gunicorn servers (one worker each: two processes, as on two machines) sharing one
    SQLite database file, with a staff user "dana". No Redis: each process has only its own
    memory cache, so whatever they share, they share through the database. Yields their base
    URLs; stops both after the test."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_DEBUG="true",
        DJANGO_SECRET_KEY="two-sites-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STAFF_LOGIN_FAILURE_LIMIT="5",
        STAFF_LOCKOUT_MINUTES="15",
        CLIENT_IP_HEADER="",
    )
    python = Path(sys.executable)

    def manage(*args):
        subprocess.run(
            [python, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, capture_output=True
        )

    manage("migrate", "--noinput", "-v0")
    create = (
        "from django.contrib.auth.models import User; "
        f"User.objects.create_user('dana', password='{password}', is_staff=True)"
    )
    manage("shell", "--no-imports", "-c", create)

    servers, ports = [], []
    try:
        for name in ("one", "two"):
            port = _free_port()
            log = open(tmp_path / f"gunicorn-{name}.log", "wb")  # the child keeps its own copy
            servers.append(
                subprocess.Popen(
                    [
                        python.parent / "gunicorn",
                        "clinic_site.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        # gunicorn's default control socket is one per machine user: never share it.
                        "--control-socket",
                        str(tmp_path / f"gunicorn-{name}.ctl"),
                    ],
                    cwd=BASE_DIR,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            )
            log.close()
            ports.append(port)

        def up():
            assert all(s.poll() is None for s in servers), "gunicorn stopped"
            return all(_answers(port) for port in ports)

        wait_until(up, timeout=60, what="both gunicorn servers to answer")
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)
