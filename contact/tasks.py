"""Background work of the contact app: emailing the front desk, in the task worker.

Django's Tasks API is imported here and nowhere else. Until Django 6 it comes from the
`django_tasks` backport; on Django 6 the import below becomes `from django.tasks import ...`.
The queue itself (`TASKS` in settings) is a table in the site's database (`django_tasks_db`),
read by `manage.py db_worker`. A queued task carries only the inquiry's id, never patient text.

A worker killed in the middle of a task (SIGKILL, a lost machine, the out-of-memory killer)
leaves it marked RUNNING for ever: django-tasks-db has no heartbeat and cleans up nothing.
`fail_abandoned_tasks` (run by the `send_pending_notifications` cron job) marks such a task
failed once it has been running longer than any task can (`abandoned_after`), and queues its
email again: the claim (emails.py) decides whether anything is still to send.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task  # Django 6: from django.tasks import ...
from django_tasks_db.models import DBTaskResult

from .emails import SKIPPED, claim, deliver
from .models import Inquiry


@task()
def send_staff_email(inquiry_id: int, force: bool = False) -> str:
    """One try at emailing the front desk about an inquiry: "sent", "failed" or "skipped".

    The claim (see emails.py) and the queueing of the next try commit together, before the
    send. So whatever happens next (the mail server fails, or the worker is killed mid-send),
    the retry is already waiting; when the send succeeds, the retry finds nothing to do. Extra
    copies of this task (the safety net's, a second click on "resend") are harmless: only one
    try can win each claim.
    """
    inquiry = Inquiry.objects.filter(pk=inquiry_id).first()
    if inquiry is None:
        return SKIPPED  # purged since it was queued
    with transaction.atomic():
        retry_at = claim(inquiry, force=force)
        if retry_at is None:
            return SKIPPED
        if send_staff_email.get_backend().supports_defer:
            send_staff_email.using(run_after=retry_at).enqueue(inquiry.pk)
        # A backend that cannot defer (the immediate one, in tests) gets no queued retry:
        # send_pending_notifications is what tries again there.
    return deliver(inquiry)


def queue_staff_email(inquiry_id, *, force=False):
    """Puts a try at the staff email in the queue (the worker sends it)."""
    if force:
        return send_staff_email.enqueue(inquiry_id, force=True)
    return send_staff_email.enqueue(inquiry_id)


# Tasks a killed worker left running ---------------------------------------------------------


class WorkerLost(Exception):
    """Recorded as the exception of a task whose worker stopped before finishing it."""


WORKER_LOST = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
ABANDONED_TRACEBACK = (
    "contact.tasks.WorkerLost: the worker running this task stopped before finishing it (killed, "
    "or its machine lost). Marked failed by send_pending_notifications after it had been "
    "running {seconds:g} s, longer than any task takes; its email was queued again.\n"
)


def abandoned_after():
    """How long a task may be RUNNING before its worker is taken to be gone: twice the claim.

    No task runs longer than its claim (`CONTACT_EMAIL_RETRY_SECONDS`): each step of a send
    gives up after `DJANGO_EMAIL_TIMEOUT`, a claim lasts at least 10 of those (check
    contact.E005), and recording the send stops retrying when the claim runs out."""
    return timedelta(seconds=2 * settings.CONTACT_EMAIL_RETRY_SECONDS)


def abandoned_tasks(now=None):
    """Tasks still marked RUNNING long after any task would have finished."""
    now = now or timezone.now()
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - abandoned_after()
    )


def fail_abandoned_tasks(now=None):
    """Marks each abandoned task failed (WorkerLost), and queues its inquiry's email again if
    it is still unsent. Returns how many were marked.

    Each row is marked with a conditional UPDATE (still RUNNING, still that old), so two runs
    at once mark it once; and a worker that was only slow, not gone, still records its own
    result when it finishes. Queueing an email again is harmless: only one try wins its claim.
    """
    now = now or timezone.now()
    traceback = ABANDONED_TRACEBACK.format(seconds=abandoned_after().total_seconds())
    marked = 0
    for pk, task_path, args_kwargs in abandoned_tasks(now).values_list(
        "pk", "task_path", "args_kwargs"
    ):
        updated = (
            abandoned_tasks(now)
            .filter(pk=pk)
            .update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=WORKER_LOST,
                traceback=traceback,
            )
        )
        if not updated:
            continue  # finished, or marked by another run, meanwhile
        marked += 1
        if task_path == send_staff_email.module_path:
            inquiry_id = (args_kwargs.get("args") or [None])[0]
            if Inquiry.objects.filter(pk=inquiry_id).notification_pending().exists():
                queue_staff_email(inquiry_id)
    return marked


def abandoned_recently(now=None, days=7):
    """Tasks marked abandoned by `fail_abandoned_tasks` in the last `days` days."""
    now = now or timezone.now()
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED,
        exception_class_path=WORKER_LOST,
        finished_at__gte=now - timedelta(days=days),
    )
