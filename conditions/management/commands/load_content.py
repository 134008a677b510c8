"""`manage.py load_content`: the clinic's library from conditions/content/ (see its README)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conditions.library import CONTENT_DIR, ContentError, load


class Command(BaseCommand):
    help = (
        "Create the pages of conditions/content/ that are missing, as drafts for medical "
        "review; update pages nobody has edited since they were loaded. Run it again any time: "
        "pages staff have edited are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the pages it loads (development and demonstrations only: in "
            "production, medical reviewers publish each page).",
        )
        parser.add_argument("--path", default=CONTENT_DIR, help="Another content folder.")

    def handle(self, *args, publish, path, **options):
        try:
            report = load(Path(path), publish=publish)
        except ContentError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"]:
            for line in report.lines():
                self.stdout.write(line)
