"""The staff app, and Django's admin app set to use the staff sign-in's admin site."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "clinic_site.core.staff"
    label = "staff"
    verbose_name = _("Staff sign-in")
    default = True

    def ready(self):
        # Registers the system checks and connects the receivers.
        from . import checks, middleware  # noqa: F401


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, whose `admin.site` is the two-step StaffAdminSite: every app's
    `@admin.register` lands on it and `admin.site.urls` serves it, unchanged."""

    default = False
    default_site = "clinic_site.core.staff.sites.StaffAdminSite"
