"""Deletes closed inquiries older than CONTACT_RETENTION_DAYS, with their history.

The audit history holds copies of what the patient sent, so it goes too: keeping it would
defeat the retention period. Open inquiries are never purged, however old. Run it daily.

It also deletes the contact rate limit's counts whose window has ended (kept in the database
when there is no Redis): each is a keyed hash of a client's address, kept no longer than needed.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from contact import ratelimit
from contact.models import Inquiry


class Command(BaseCommand):
    help = "Delete closed inquiries older than CONTACT_RETENTION_DAYS, and their history."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many would be deleted."
        )

    def handle(self, *args, dry_run, **options):
        days = settings.CONTACT_RETENTION_DAYS
        with transaction.atomic():
            ids = list(Inquiry.objects.purgeable().values_list("pk", flat=True))
            if dry_run:
                self.stdout.write(
                    f"{len(ids)} closed inquiry(ies) older than {days} days would be deleted."
                )
                return
            Inquiry.objects.filter(pk__in=ids).delete()
            # After the delete: deleting records one more history row per inquiry.
            Inquiry.history.filter(id__in=ids).delete()
        self.stdout.write(f"Deleted {len(ids)} closed inquiry(ies) older than {days} days.")
        self.stdout.write(f"Deleted {ratelimit.purge()} ended rate limit window(s).")
