"""`manage.py backup`: one file with the database and every uploaded file, then old ones pruned.

Run it from cron (see README, Backups). It exits with an error, and deletes nothing, when the
backup could not be written.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from clinic_site.core.backups import archive
from clinic_site.core.backups.databases import BackupError


class Command(BaseCommand):
    help = (
        "Write one compressed backup of the database and the uploaded files into BACKUP_DIR, "
        "readable by its owner only, then delete all but the newest BACKUP_KEEP backups."
    )

    def handle(self, *args, **options):
        try:
            backup = archive.create(settings.BACKUP_DIR)
        except (BackupError, OSError) as exc:  # OSError: a full disk, a folder not ours
            raise CommandError(f"No backup was written. {exc}") from None
        size = filesizeformat(backup.path.stat().st_size).replace("\xa0", " ")
        self.stdout.write(
            f"Wrote {backup.path} ({size}): the {backup.engine} database "
            f"({backup.tables} tables) and {backup.media_files} uploaded file(s)."
        )
        removed = archive.prune(settings.BACKUP_DIR, settings.BACKUP_KEEP)
        if removed:
            self.stdout.write(
                f"Deleted {len(removed)} older backup(s), keeping the newest "
                f"{settings.BACKUP_KEEP}: {', '.join(path.name for path in removed)}."
            )
