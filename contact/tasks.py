"""Background work of the contact app: emailing the front desk, in the task worker.

Django's Tasks API is imported here and nowhere else. Until Django 6 it comes from the
`django_tasks` backport; on Django 6 the import below becomes `from django.tasks import ...`.
The queue itself (`TASKS` in settings) is a table in the site's database (`django_tasks_db`),
read by `manage.py db_worker`. A queued task carries only the inquiry's id, never patient text.
"""

from django.db import transaction
from django_tasks import task  # Django 6: from django.tasks import task

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
