"""Fixtures for the staff sign-in tests: a staff member with a password and an authenticator
app, and a way to drive the two sign-in steps with the test client."""

import datetime
import os
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


@pytest.fixture
def two_sites(tmp_path, password, gunicorn):
    """Two gunicorn servers (one worker each: two processes, as on two machines) sharing one
    SQLite database file, with a staff user "dana". No Redis: each process has only its own
    memory cache, so whatever they share, they share through the database. Returns their base
    URLs; both stop after the test."""
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

    return [server.url for server in gunicorn.several(2, env)]
