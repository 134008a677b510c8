"""Deletes sign-in records older than STAFF_LOGIN_RECORD_DAYS (run daily from cron)."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Delete records of staff sign-ins and failed attempts older than the kept period."

    def handle(self, *args, **options):
        days = settings.STAFF_LOGIN_RECORD_DAYS
        sign_ins = AxesProxyHandler.reset_logs(age_days=days)
        failures = AxesProxyHandler.reset_failure_logs(age_days=days)
        self.stdout.write(
            f"Deleted {sign_ins} sign-in and {failures} failed-attempt records older than "
            f"{days} days."
        )
