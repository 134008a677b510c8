from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "contact"
    verbose_name = _("Patient inquiries")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
