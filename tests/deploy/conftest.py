"""The cluster test's parts: the cluster itself (deploy/cluster.py) on the test database, a
mail server, a TCP proxy between the cluster and PostgreSQL that can cut every connection,
and a visitor with its own client address and cookies.

The tests are marked `cluster`: a plain `pytest` (and `make test`) leaves them out; `make
cluster-test` runs them (`-m cluster`), on PostgreSQL and Redis only.
"""

import asyncio
import email
import http.client
import re
import secrets
import signal
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email.policy import default as default_policy
from http.cookies import SimpleCookie
from urllib.parse import unquote, urlencode, urlsplit

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from deploy.cluster import Cluster
from deploy.processes import free_port

# Email timeout and retry period of the cluster's workers: short, so the test waits seconds.
# The retry period must stay at least 10 timeouts (check contact.E005).
EMAIL_TIMEOUT = 1.5
RETRY_SECONDS = 15
FIGURES = []


def pytest_collection_modifyitems(config, items):
    """Cluster tests run only when asked for (`-m cluster`)."""
    if "cluster" in (config.getoption("markexpr") or ""):
        return
    skipped = [item for item in items if item.get_closest_marker("cluster")]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [item for item in items if not item.get_closest_marker("cluster")]


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("cluster figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


def figure(line):
    """Reports a measured figure (printed at the end of the run)."""
    FIGURES.append(line)


# The mail server --------------------------------------------------------------------------------


class Inbox:
    """aiosmtpd handler: keeps each accepted message. With `delay`, it takes that long to
    answer MAIL FROM and to accept the message, so sends are in flight long enough to kill a
    worker in the middle. The message counts only once accepted: a sender killed before that
    leaves nothing behind (aiosmtpd cancels the handler when the connection drops)."""

    def __init__(self):
        self.messages = []
        self.delay = 0
        self.in_progress = 0

    async def pause(self):
        self.in_progress += 1
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
        finally:
            self.in_progress -= 1

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        await self.pause()
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await self.pause()
        self.messages.append(envelope.content)
        return "250 Message accepted for delivery"

    def references(self):
        """How many messages each inquiry reference got."""
        subjects = [
            email.message_from_bytes(content, policy=default_policy)["Subject"]
            for content in self.messages
        ]
        return Counter(s.split("New inquiry ")[1].split(":")[0] for s in subjects)


class MailServer:
    """A real SMTP server on loopback that can go down and come back on the same port."""

    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


# The database's connection, cut and restored ---------------------------------------------------


class TCPProxy:
    """Forwards a loopback port to PostgreSQL. `stop()` closes every connection through it and
    refuses new ones, as a database server that went away; `start()` lets them through again.
    The machine's PostgreSQL, which others use, is never touched."""

    def __init__(self, host, port):
        self.target = (host, port)
        self.port = free_port()
        self.listener = None
        self.sockets = []
        self.lock = threading.Lock()

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.1)
        threading.Thread(target=self.accept, args=(self.listener,), daemon=True).start()

    def accept(self, listener):
        while self.listener is listener:
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def stop(self):
        listener, self.listener = self.listener, None
        if listener is not None:
            listener.close()
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


# A visitor ---------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict
    text: str

    @property
    def served_by(self):
        return self.headers.get("x-served-by", "")

    def field(self, name):
        """The value of a form's hidden field in this page."""
        match = re.search(rf'name="{name}" value="([^"]*)"', self.text)
        assert match, f"no {name} field in the page"
        return match.group(1)

    @property
    def thanks_reference(self):
        """The inquiry reference of the thank-you page this response redirects to."""
        location = unquote(self.headers.get("location", ""))
        if "/contact/thanks/" not in location:
            return None
        return location.split("/contact/thanks/")[1].split(":")[0]


class Visitor:
    """Someone at one client address (a loopback address of its own: the proxy passes it on),
    with their cookies. Cookies marked Secure are sent too: the cluster has no TLS on loopback."""

    def __init__(self, base_url, address="127.0.0.1"):
        self.base_url = base_url
        self.address = address
        self.cookies = {}

    def request(self, method, path, data=None, *, base_url=None, timeout=30):
        parts = urlsplit(base_url or self.base_url)
        conn = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=timeout, source_address=(self.address, 0)
        )
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
            for header in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            headers = {k.lower(): v for k, v in response.getheaders()}
            return Response(response.status, headers, text)
        finally:
            conn.close()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        return self.request("POST", path, data, **kwargs)


def inquiry_form_data(page, name):
    """What a patient fills in, with the served form's signed token (no CSRF token: the form
    sets no cookie)."""
    return {
        "form_token": page.field("form_token"),
        "website": "",
        "name": name,
        "email": "pat@example.com",
        "phone": "",
        "preferred_contact": "email",
        "reason": "new_patient",
        "condition": "",
        "message": "I would like an appointment, please.",
        "consent": "on",
    }


# The cluster --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def database(django_db_setup):
    """The test database's settings (the tests' django_db marks make pytest-django create it)."""
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.fail(
            "The cluster test runs on PostgreSQL and Redis: set DATABASE_URL=postgres://… "
            "and REDIS_URL=redis://… (make cluster-test)."
        )
    return dict(connection.settings_dict)


@pytest.fixture(scope="module")
def mail_server():
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def database_link(database):
    """The cluster's way to PostgreSQL, through a TCP proxy the test can cut."""
    link = TCPProxy(database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432))
    link.start()
    yield link
    link.stop()


@pytest.fixture(scope="module")
def cluster(database, database_link, mail_server, tmp_path_factory):
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    # Its own key prefix in Redis: no page copy or rate-limit count of an earlier run is seen.
    prefix = f"clinic-cluster-test-{secrets.token_hex(4)}"
    database_url = f"postgres://{credentials}@127.0.0.1:{database_link.port}/{database['NAME']}"
    run = Cluster(
        database_url=database_url,
        redis_url=settings.REDIS_URL,
        restart_seconds=1,
        run_dir=tmp_path_factory.mktemp("cluster"),
        env={
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DJANGO_EMAIL_HOST": "127.0.0.1",
            "DJANGO_EMAIL_PORT": str(mail_server.port),
            "DJANGO_EMAIL_TIMEOUT": str(EMAIL_TIMEOUT),
            "CONTACT_EMAIL_RETRY_SECONDS": str(RETRY_SECONDS),
            "CONTACT_RECIPIENTS": "frontdesk@example.com",
            "DJANGO_LOG_LEVEL": "INFO",
            "DJANGO_CACHE_PREFIX": prefix,
        },
    )
    # CI's time limit sends SIGTERM or SIGINT: either way, stop every process first.
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    started = time.monotonic()
    try:
        with run:
            figure(
                f"cluster start-up (migrate, collectstatic, 2 apps, 2 workers, HAProxy): "
                f"{time.monotonic() - started:.1f} s"
            )
            yield run
    finally:
        signal.signal(signal.SIGTERM, previous)
        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
