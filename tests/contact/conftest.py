"""Fixtures for the contact tests: a real SMTP server on loopback (aiosmtpd)."""

import socket

import pytest
from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class SMTPServer:
    """An SMTP server on 127.0.0.1 that a test can stop (an outage) and start again."""

    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    @property
    def envelopes(self):
        return self.inbox.envelopes

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


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
    settings.SITE_URL = "https://clinic.example"
    settings.DEFAULT_FROM_EMAIL = "Cutting Edge Pain website <website@cuttingedgepain.com>"
    settings.EMAIL_SUBJECT_PREFIX = "[Cutting Edge Pain] "
    return settings


@pytest.fixture(autouse=True)
def _contact_defaults(contact_settings):
    return contact_settings
