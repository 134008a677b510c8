"""The clinic's details, shown on every page."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    name = "clinic_site.core.clinic"
    # "clinic", not the project package's name: the tables are the clinic's (clinic_clinicdetails).
    label = "clinic"
    verbose_name = _("Clinic")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
