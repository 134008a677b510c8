"""The safety net under the task queue: queues again the staff emails whose next try is overdue.

Every try of a staff email queues the next one before it sends (contact/tasks.py), so a
failure or a killed worker loses nothing. What this catches is the rest: a first try whose
queueing failed (the database went away just after the inquiry committed), or tasks lost from
the queue. An email is overdue when its try was due more than `--grace-minutes` ago and nobody
holds it. Queueing one twice is harmless: only one try can win each claim.

It first marks failed the tasks a killed worker left RUNNING (contact/tasks.py,
`fail_abandoned_tasks`), queueing their emails again.

Run it from cron. It exits with status 1 when anything was overdue or abandoned, so cron
reports it: when that repeats, the worker is most likely not running (or keeps being killed).
With a backend that runs tasks at once (tests), it sends them itself.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from contact.models import Inquiry
from contact.tasks import fail_abandoned_tasks, queue_staff_email


class Command(BaseCommand):
    help = "Queue again the staff emails whose next try is overdue (a lost task, a stopped worker)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=10,
            help="Only emails whose try was due more than this long ago (default: 10).",
        )
        parser.add_argument(
            "--limit", type=int, default=200, help="At most this many emails per run."
        )

    def handle(self, *args, grace_minutes, limit, **options):
        abandoned = fail_abandoned_tasks()
        now = timezone.now()
        cutoff = now - timedelta(minutes=grace_minutes)
        overdue = (
            Inquiry.objects.notification_pending()
            .claimable(now)
            .filter(
                Q(notification_next_attempt_at__lt=cutoff)
                | Q(notification_next_attempt_at__isnull=True, created_at__lt=cutoff)
            )
        )
        ids = list(overdue.order_by("created_at").values_list("pk", flat=True)[:limit])
        # Due now, and not overdue again for another grace period: while the worker is down,
        # each run adds at most one copy per email.
        overdue.filter(pk__in=ids).update(notification_next_attempt_at=now)
        for pk in ids:
            queue_staff_email(pk)
        waiting = Inquiry.objects.notification_pending().count()
        self.stdout.write(
            f"{waiting} staff email(s) waiting; {len(ids)} overdue queued again; "
            f"{abandoned} task(s) left running by a stopped worker marked failed."
        )
        problems = []
        if abandoned:
            problems.append(
                f"{abandoned} task(s) were left running by a worker that stopped mid-task "
                "(killed, or its machine lost): marked failed, their emails queued again."
            )
        if ids:
            problems.append(f"{len(ids)} staff email(s) were overdue and have been queued again.")
        if problems:
            raise CommandError(
                " ".join(problems) + " If this repeats, check that the task worker "
                "(manage.py db_worker) is running and is not being killed."
            )
