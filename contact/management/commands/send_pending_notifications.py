"""Sends the staff emails that have not gone out yet (the mail server was down, say).

Safe to run from cron every few minutes, and safe to run twice at once: each inquiry is claimed
with one conditional UPDATE before its email is sent (see contact/emails.py), so no inquiry's
email is sent twice. Exits with status 1 when some emails still failed, so cron can report it.
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from contact.emails import FAILED, SENT, send_notification
from contact.models import Inquiry


class Command(BaseCommand):
    help = "Email the front desk about inquiries whose email has not been sent yet."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=200, help="At most this many emails per run."
        )

    def handle(self, *args, limit, **options):
        pending = list(
            Inquiry.objects.notification_pending()
            .claimable()
            .order_by("created_at")
            .values_list("pk", flat=True)[:limit]
        )
        outcomes = Counter(
            send_notification(inquiry)
            for inquiry in Inquiry.objects.filter(pk__in=pending).order_by("created_at")
        )
        sent, failed = outcomes[SENT], outcomes[FAILED]
        self.stdout.write(f"Sent {sent} email(s); {failed} still unsent.")
        if failed:
            raise CommandError(f"{failed} email(s) could not be sent; see the inquiries' errors.")
