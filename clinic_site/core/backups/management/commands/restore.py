"""`manage.py restore FILE`: the database and the uploaded files from one backup.

It restores only into an empty database and an empty uploaded-files folder, so it can never
overwrite data, and it checks the whole backup before it changes anything. Step by step
instructions: README, Backups.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from clinic_site.core.backups import archive
from clinic_site.core.backups.databases import BackupError, describe


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the empty database DATABASE_URL "
        "names and the empty DJANGO_MEDIA_ROOT. Checks the whole file first; never "
        "overwrites anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup_file", type=Path, help="The .tar.gz file `backup` wrote.")

    def handle(self, *args, backup_file, **options):
        try:
            backup = archive.restore(backup_file)
        except BackupError as exc:
            raise CommandError(exc) from None
        except OSError as exc:  # e.g. no room in the temporary folder to unpack into
            raise CommandError(f"The restore stopped: {exc}.") from None
        taken = backup.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        self.stdout.write(
            f"Restored the backup taken {taken} ({backup.path.name}): every file matched "
            "its checksum.\n"
            f"- Database: {backup.tables} tables into the {describe(connection)}.\n"
            f"- Uploaded files: {backup.media_files} into {settings.MEDIA_ROOT}.\n"
            "Next: run `manage.py migrate` (it applies only migrations newer than the "
            "backup), then start or restart the site and the worker."
        )
