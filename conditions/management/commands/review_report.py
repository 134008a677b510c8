"""`python manage.py review_report`: the articles due for medical review, as plain text.

Made for cron, which mails a command's output: nothing due prints one line saying so. Always
exits 0; a report is information, not a failure.
"""

from django.core.management.base import BaseCommand

from conditions.review import DUE_SOON_DAYS, review_due

HEADINGS = {
    "overdue": "Review overdue",
    "never reviewed": "Never reviewed",
    "translation out of date": "Translation out of date (the English text changed since)",
    "due soon": f"Due in the next {DUE_SOON_DAYS} days",
}


class Command(BaseCommand):
    help = "List articles whose medical review is overdue, never done, or due soon."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=DUE_SOON_DAYS,
            help=f"How far ahead 'due soon' looks (default {DUE_SOON_DAYS}).",
        )

    def handle(self, *args, days, **options):
        items = review_due(within_days=days)
        if not items:
            self.stdout.write("No articles are due for medical review.")
            return
        self.stdout.write(f"Articles due for medical review: {len(items)}")
        for state, heading in HEADINGS.items():
            group = [item for item in items if item.state == state]
            if not group:
                continue
            if state == "due soon" and days != DUE_SOON_DAYS:
                heading = f"Due in the next {days} days"
            self.stdout.write("")
            self.stdout.write(f"{heading} ({len(group)}):")
            for item in group:
                due = f", due {item.due:%Y-%m-%d}" if item.due else ""
                live = "" if item.article.is_published else " [not published]"
                self.stdout.write(f"- {item.article.title} ({item.kind}{due}){live}")
                self.stdout.write(f"  Review it: {item.full_admin_url}")
