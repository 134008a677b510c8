"""Search's background work: rebuilding the vocabulary (vocabulary.py) in the task worker.

Queued by every save and delete of an article or a synonym (apps.py), in the same transaction,
so the worker runs it once the change is committed. A bulk load queues many: the first to run
takes the others queued before it started off the queue (their changes are committed, since a
task row commits with the save that queued it, and it reads after them).
"""

import contextlib
import threading

from django.db import transaction
from django_tasks import task  # Django 6: from django.tasks import ...
from django_tasks_db.models import DBTaskResult

from . import vocabulary


@task()
def refresh_vocabulary() -> str:
    with transaction.atomic():
        waiting = (
            DBTaskResult.objects.ready()
            .filter(task_path=refresh_vocabulary.module_path)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        DBTaskResult.objects.filter(pk__in=list(waiting)).delete()
    next_live = vocabulary.refresh()
    backend = refresh_vocabulary.get_backend()
    if next_live is not None and backend.supports_defer:
        # A scheduled page joins the suggestions when it goes live, with no write to notice.
        refresh_vocabulary.using(run_after=next_live).enqueue()
    return f"refreshed; next page goes live {next_live or 'never'}"


_paused = threading.local()


def queue_refresh(raw=False, **kwargs):
    """Signal receiver: a change that search's vocabulary may depend on was saved. Not for
    rows loaded as they are (fixtures, a restore): the vocabulary's own row comes with them."""
    if getattr(_paused, "changed", None) is not None:
        _paused.changed = True
    elif not raw:
        refresh_vocabulary.enqueue()


@contextlib.contextmanager
def one_refresh():
    """Saves inside queue one rebuild at the end instead of one each (a bulk load, where tasks
    run in the saving process: the tests' immediate backend)."""
    _paused.changed = False
    try:
        yield
    finally:
        changed, _paused.changed = _paused.changed, None
        if changed:
            refresh_vocabulary.enqueue()
