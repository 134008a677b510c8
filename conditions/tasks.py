"""Background work of the medical review workflow, in the task worker (`manage.py db_worker`):
its email, and applying a revision published for a set time.

Queued on the workflow's signals (revisions.py). As in contact/tasks.py, a queued task carries
only a kind of article and ids; one whose article is gone (deleted, or a revision already
applied) does nothing.

An email the mail server did not take (down, hanging past DJANGO_EMAIL_TIMEOUT, refusing) is
tried again CONTACT_EMAIL_RETRY_SECONDS later, up to EMAIL_TRIES times in all, then logged as
an error. Unlike the front desk's email (contact/emails.py) there is no claim: a server that
took the message but timed out before saying so gets it twice, which for a note to staff with
no patient data is better than a reviewer never asked.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task  # Django 6: from django.tasks import task

from . import emails, revisions

logger = logging.getLogger(__name__)

#: How many times the worker tries one workflow email before it gives up.
EMAIL_TRIES = 5


def _send(message, retry_task, *args, attempt):
    """Sends `message`; when the mail server fails, queues `retry_task(*args)` for a later
    try ("retry queued"), or after the last try logs and raises (the task fails)."""
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        if attempt >= EMAIL_TRIES or not retry_task.get_backend().supports_defer:
            logger.error("Gave up on %r after %s tries: %r", message.subject, attempt, error)
            raise
        retry_at = timezone.now() + timedelta(seconds=settings.CONTACT_EMAIL_RETRY_SECONDS)
        retry_task.using(run_after=retry_at).enqueue(*args, attempt=attempt + 1)
        logger.warning("%r failed (try %s), tried again later: %r", message.subject, attempt, error)
        return "retry queued"
    return "sent"


@task()
def send_review_request(kind: str, article_id: int, attempt: int = 1) -> str:
    article = revisions.model_for(kind).with_revisions.filter(pk=article_id).first()
    if article is None:
        return "skipped"
    message = emails.review_request(article)
    if message is None:
        logger.warning("No medical reviewer has an email address: nobody was asked.")
        return "no reviewers"
    return _send(message, send_review_request, kind, article_id, attempt=attempt)


@task()
def send_review_outcome(
    kind: str, article_id: int, outcome: str, author_id: int, attempt: int = 1
) -> str:
    article = revisions.model_for(kind).with_revisions.filter(pk=article_id).first()
    author = get_user_model().objects.filter(pk=author_id, is_active=True).first()
    if article is None or author is None:
        return "skipped"
    message = emails.review_outcome(article, outcome, author)
    if message is None:
        return "no address"
    args = (kind, article_id, outcome, author_id)
    return _send(message, send_review_outcome, *args, attempt=attempt)


@task()
def apply_scheduled_revision(kind: str, revision_id: int) -> str:
    live = revisions.apply_revision(revisions.model_for(kind), revision_id)
    return "applied" if live is not None else "skipped"


@receiver(revisions.review_requested)
def queue_review_request(sender, article, **kwargs):
    send_review_request.enqueue(article._meta.model_name, article.pk)


@receiver(revisions.review_decided)
def queue_review_outcome(sender, article, outcome, **kwargs):
    """Emails the one who asked for the review (or else who wrote the text), if anyone."""
    author_id = article.review_requested_by_id or article.written_by_id
    if author_id is not None:
        send_review_outcome.enqueue(article._meta.model_name, article.pk, outcome, author_id)


@receiver(revisions.revision_scheduled)
def queue_apply_revision(sender, article, **kwargs):
    """Queues the revision to be applied at its publish time. A backend that cannot defer
    (the immediate one, in tests) gets nothing queued: `publish_due_revisions` applies it."""
    if apply_scheduled_revision.get_backend().supports_defer:
        apply_scheduled_revision.using(run_after=article.publish_at).enqueue(
            article._meta.model_name, article.pk
        )
