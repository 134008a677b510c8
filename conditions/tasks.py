"""Background work of the medical review workflow, in the task worker (`manage.py db_worker`):
its email, and applying a revision published for a set time.

Queued on the workflow's signals (revisions.py). As in contact/tasks.py, a queued task carries
only a kind of article and ids; one whose article is gone (deleted, or a revision already
applied) does nothing.
"""

import logging

from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django_tasks import task  # Django 6: from django.tasks import task

from . import emails, revisions

logger = logging.getLogger(__name__)


@task()
def send_review_request(kind: str, article_id: int) -> str:
    article = revisions.model_for(kind).with_revisions.filter(pk=article_id).first()
    if article is None:
        return "skipped"
    message = emails.review_request(article)
    if message is None:
        logger.warning("No medical reviewer has an email address: nobody was asked.")
        return "no reviewers"
    message.send()
    return "sent"


@task()
def send_review_outcome(kind: str, article_id: int, outcome: str, author_id: int) -> str:
    article = revisions.model_for(kind).with_revisions.filter(pk=article_id).first()
    author = get_user_model().objects.filter(pk=author_id, is_active=True).first()
    if article is None or author is None:
        return "skipped"
    message = emails.review_outcome(article, outcome, author)
    if message is None:
        return "no address"
    message.send()
    return "sent"


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
