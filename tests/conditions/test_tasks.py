"""The review workflow's email in the background: one try of each task with the mail server
up, refusing, and refusing on the last try (tasks recorded by Django's dummy backend, not run;
tests/browser/test_revisions.py runs a real worker against a real SMTP server)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conditions import tasks
from conditions.models import Article
from tests.conditions.staff import EDITORS, REVIEWERS, staff_user
from tests.contact.conftest import queued_tasks, smtp_server  # noqa: F401 (fixtures)
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing_mail_server(settings):
    """Nothing listens on port 9 (discard) here: each connection is refused."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    settings.CONTACT_EMAIL_RETRY_SECONDS = 60
    return settings


@pytest.fixture
def article():
    staff_user(REVIEWERS, username="dana", email="dana@example.com")
    return ConditionFactory(title="Sciatica", status=Article.Status.IN_REVIEW)


def test_a_review_request_the_mail_server_refuses_is_tried_again_later_and_then_sent(
    refusing_mail_server,
    queued_tasks,  # noqa: F811
    smtp_server,  # noqa: F811
    article,
):
    refusing_mail_server.EMAIL_PORT = 9  # smtp_server is up, on another port
    assert tasks.send_review_request.call("condition", article.pk) == "retry queued"
    [retry] = queued_tasks
    assert (retry.args, retry.kwargs) == (["condition", article.pk], {"attempt": 2})
    assert retry.task.run_after - timezone.now() == pytest.approx(
        timedelta(seconds=60), abs=timedelta(seconds=5)
    )
    assert smtp_server.envelopes == []

    refusing_mail_server.EMAIL_PORT = smtp_server.port  # the mail server is back
    assert tasks.send_review_request.call(*retry.args, **retry.kwargs) == "sent"
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["dana@example.com"]
    assert b"Medical review asked for: Sciatica" in envelope.content
    assert len(queued_tasks) == 1  # a sent email queues nothing more


def test_the_authors_email_is_tried_again_too(refusing_mail_server, queued_tasks, article):  # noqa: F811
    author = staff_user(EDITORS, username="eddie", email="eddie@example.com")
    args = ("condition", article.pk, "published", author.pk)
    assert tasks.send_review_outcome.call(*args) == "retry queued"
    [retry] = queued_tasks
    assert (retry.args, retry.kwargs) == (list(args), {"attempt": 2})


def test_the_last_try_gives_up_with_an_error_in_the_log(
    refusing_mail_server,
    queued_tasks,  # noqa: F811
    article,
    caplog,
):
    with pytest.raises(ConnectionRefusedError):
        tasks.send_review_request.call("condition", article.pk, attempt=tasks.EMAIL_TRIES)
    assert queued_tasks == []
    [record] = [r for r in caplog.records if r.name == "conditions.tasks"]
    assert record.levelname == "ERROR"
    subject = "[Cutting Edge Pain] Medical review asked for: Sciatica"
    assert f"Gave up on '{subject}' after {tasks.EMAIL_TRIES} tries" in record.getMessage()
