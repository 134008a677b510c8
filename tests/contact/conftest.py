"""Fixtures for the contact tests: a real SMTP server on loopback (aiosmtpd) that can also be
down or hung, and real task worker processes (`manage.py db_worker`) on the test database."""

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection

from deploy.processes import free_port

MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"
# The worker's mail timeout and retry period: short, so tests wait seconds, not minutes. The
# retry period must stay at least 10 timeouts (check contact.E005).
WORKER_EMAIL_TIMEOUT = 0.15
WORKER_RETRY_SECONDS = 1.5
# For workers in tests that are not about the mail timeout, on a machine that may be busy: a
# second for the mail server, and a retry (or a claim) of 10 s, as contact.E005 asks.
PATIENT_WORKER = {"DJANGO_EMAIL_TIMEOUT": "1", "CONTACT_EMAIL_RETRY_SECONDS": "10"}


class Inbox:
    """aiosmtpd handler that keeps every message it accepts. `on_accept`, if set, runs after a
    message is kept and before the sender is told so."""

    def __init__(self):
        self.envelopes = []
        self.on_accept = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        self.envelopes.append(envelope)
        if self.on_accept is not None:
            self.on_accept(envelope)
        return "250 Message accepted for delivery"


class HungSocket:
    """Accepts connections and never answers: a hung relay, or a firewall that drops packets.

    With `drip`, it sends the greeting one byte at a time and never ends the line: each byte
    comes within the sender's timeout, so the sender stays mid-conversation until it is killed.
    """

    def __init__(self, port, *, drip=False):
        self.port = port
        self.drip = drip
        self.accepted = 0
        self.connections = []
        self.running = True
        self.listener = socket.create_server(("127.0.0.1", port))
        self.listener.settimeout(0.05)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while self.running:
            try:
                conn, _address = self.listener.accept()
            except TimeoutError:
                conn = None
            except OSError:
                return
            if conn is not None:
                self.connections.append(conn)
                self.accepted += 1
            if self.drip:
                for held in self.connections:
                    try:
                        held.send(b"2")
                    except OSError:
                        pass

    def close(self):
        self.running = False
        self.thread.join(timeout=5)
        self.listener.close()
        for held in self.connections:
            held.close()


class SMTPServer:
    """An SMTP server on 127.0.0.1 that a test can stop (down: connection refused), hang
    (accepts, never answers) and start again, always on the same port."""

    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None
        self.hung = None

    @property
    def envelopes(self):
        return self.inbox.envelopes

    @property
    def accepted_while_hung(self):
        return self.hung.accepted if self.hung else 0

    def start(self):
        self.stop()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
        if self.hung is not None:
            self.hung.close()
            self.hung = None

    def hang(self, *, drip=False):
        self.stop()
        self.hung = HungSocket(self.port, drip=drip)


@pytest.fixture
def smtp_server(settings):
    """Django sends through a real SMTP server on loopback for this test."""
    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def contact_settings(settings):
    """The contact settings the tests assume, whatever the environment says."""
    settings.CONTACT_RECIPIENTS = ["frontdesk@example.com", "manager@example.com"]
    settings.CONTACT_EMAIL_INCLUDE_DETAILS = False
    settings.CONTACT_RATE_LIMIT = "5/10m"
    settings.CONTACT_MIN_SECONDS = 3
    settings.CONTACT_MAX_AGE_SECONDS = 86400
    settings.CONTACT_RETENTION_DAYS = 365
    settings.CONTACT_EMAIL_RETRY_SECONDS = 300
    settings.CONTACT_EMAIL_QUEUE_WARN_MINUTES = 15
    settings.SITE_URL = "https://clinic.example"
    settings.DEFAULT_FROM_EMAIL = "Cutting Edge Pain website <website@cuttingedgepain.com>"
    settings.EMAIL_SUBJECT_PREFIX = "[Cutting Edge Pain] "
    return settings


@pytest.fixture(autouse=True)
def _contact_defaults(contact_settings):
    return contact_settings


@pytest.fixture
def queued_tasks(settings):
    """Tasks are only recorded (Django's dummy backend), not run: the list of what was queued,
    each with its arguments and `run_after`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from contact.tasks import send_staff_email

    return send_staff_email.get_backend().results


def shared_database_url():
    """The test database, as a DATABASE_URL another process can open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{quote(db['NAME'])}"


class TaskWorkers:
    """Real `manage.py db_worker` processes on the test database, sending to `smtp_server`."""

    def __init__(self, smtp_server, log_dir):
        self.smtp_server = smtp_server
        self.log_dir = log_dir
        self.processes = []

    def environment(self, **overrides):
        env = {
            **os.environ,
            "DATABASE_URL": shared_database_url(),
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "worker-test-key-not-secret-0123456789abcdefghijklmnopqrstuvwxyz",
            "DJANGO_ALLOWED_HOSTS": "clinic.example",
            "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DJANGO_EMAIL_HOST": "127.0.0.1",
            "DJANGO_EMAIL_PORT": str(self.smtp_server.port),
            "DJANGO_EMAIL_TIMEOUT": str(WORKER_EMAIL_TIMEOUT),
            "CONTACT_EMAIL_RETRY_SECONDS": str(WORKER_RETRY_SECONDS),
            "CONTACT_RECIPIENTS": ",".join(django_settings.CONTACT_RECIPIENTS),
            "SITE_URL": django_settings.SITE_URL,
            "DJANGO_LOG_LEVEL": "INFO",
        }
        env.update(overrides)
        return env

    def start(self, **env_overrides):
        number = len(self.processes) + 1
        log = open(self.log_dir / f"worker-{number}.log", "wb")  # closed in stop()
        process = subprocess.Popen(
            [
                sys.executable,
                str(MANAGE_PY),
                "db_worker",
                "--interval=0.05",
                "--no-startup-delay",
                "--no-reload",
                f"--worker-id=test-worker-{number}",
            ],
            env=self.environment(**env_overrides),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process.log = log
        self.processes.append(process)
        return process

    def kill(self, process):
        """SIGKILL: no clean-up, no last database write."""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self, process):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # finishes the task in hand, then exits
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        process.log.close()

    def stop_all(self):
        for process in self.processes:
            self.stop(process)

    def logs(self):
        return "\n".join(
            path.read_text(errors="replace") for path in sorted(self.log_dir.glob("worker-*.log"))
        )


@pytest.fixture
def task_workers(settings, smtp_server, tmp_path):
    """Starts worker processes with `task_workers.start()`; every one is stopped when the test
    ends, however it ends. The test itself queues into the database (not the immediate backend)
    and needs `django_db(transaction=True)`, so that the workers see what it commits."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    workers = TaskWorkers(smtp_server, tmp_path)
    try:
        yield workers
    finally:
        workers.stop_all()


@pytest.fixture
def gunicorn_site(settings, gunicorn):
    """`gunicorn_site(workers=4, **env)`: starts the site under gunicorn on loopback, with the
    test process's secret key (its signed form tokens are good there), on the test database;
    Redis if REDIS_URL is set, unless `REDIS_URL=""` is given. Development settings: production
    ones would need collectstatic first. Returns it (`url`, `log()`) once every worker answers.
    The test needs `django_db(transaction=True)` so gunicorn sees what it commits. Every
    server started is stopped when the test ends."""

    def start(workers=4, **env_overrides):
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CONTACT_"))},
            "DATABASE_URL": shared_database_url(),
            "DJANGO_DEBUG": "true",
            "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,
            "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "DJANGO_LOG_LEVEL": "WARNING",
            "CLIENT_IP_HEADER": "",
            "CONTACT_RATE_LIMIT": django_settings.CONTACT_RATE_LIMIT,
            "CONTACT_MIN_SECONDS": "0",
            **env_overrides,
        }
        return gunicorn(env, workers=workers)

    return start
