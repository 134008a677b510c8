"""The project package is also a small app: it owns the clinic's contact details."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicSiteConfig(AppConfig):
    name = "clinic_site"
    verbose_name = _("Clinic")
