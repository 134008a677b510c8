"""System checks: backups never land in a folder the site serves, and can run in production."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.db import connection

from .databases import CLIENT_TOOLS_HINT


@register()
def check_backup_dir(app_configs, **kwargs):
    backup_dir = Path(settings.BACKUP_DIR).resolve()
    for setting in ("MEDIA_ROOT", "STATIC_ROOT"):
        served = getattr(settings, setting, None)
        if served and backup_dir.is_relative_to(Path(served).resolve()):
            return [
                Error(
                    f"BACKUP_DIR ({backup_dir}) is inside {setting}, which the site serves to "
                    "anyone: backups hold patients' messages.",
                    hint="Point BACKUP_DIR at a folder outside every served folder.",
                    id="backups.E001",
                )
            ]
    if settings.BACKUP_KEEP < 0:
        return [Error("BACKUP_KEEP must be 0 (keep every backup) or more.", id="backups.E002")]
    return []


@register(deploy=True)
def check_backup_tools(app_configs, **kwargs):
    if connection.vendor != "postgresql":
        return []
    missing = [program for program in ("pg_dump", "pg_restore") if not shutil.which(program)]
    if not missing:
        return []
    return [
        Warning(
            f"{' and '.join(missing)} not found: `manage.py backup` and `restore` need them.",
            hint=CLIENT_TOOLS_HINT,
            id="backups.W001",
        )
    ]
