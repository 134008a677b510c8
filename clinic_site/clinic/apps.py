"""The clinic's details, shown on every page."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    name = "clinic_site.clinic"
    # The label the app had when it was the project package itself: existing databases, their
    # migration records and content types carry over unchanged.
    label = "clinic_site"
    verbose_name = _("Clinic")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
