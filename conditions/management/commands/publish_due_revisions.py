"""Applies every revision published for a set time whose time has come.

The task worker applies each when due (conditions/tasks.py); this is the safety net for a
queue that lost one, run from cron like `send_pending_notifications`.
"""

from django.core.management.base import BaseCommand

from conditions.revisions import apply_due_revisions


class Command(BaseCommand):
    help = "Apply the revisions published for a time that has come."

    def handle(self, *args, **options):
        applied = apply_due_revisions()
        self.stdout.write(f"{applied} revision(s) applied.")
