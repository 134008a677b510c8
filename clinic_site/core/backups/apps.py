"""The backups app: the `backup` and `restore` commands and their system checks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    name = "clinic_site.core.backups"
    label = "backups"
    verbose_name = _("Backups")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
