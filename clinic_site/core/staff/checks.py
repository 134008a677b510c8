"""System checks for the staff sign-in settings."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_staff_settings(app_configs, **kwargs):
    problems = []
    idle, most = settings.STAFF_SESSION_IDLE_MINUTES, settings.STAFF_SESSION_MAX_HOURS * 60
    if not 0 < idle <= most:
        problems.append(
            Error(
                "STAFF_SESSION_IDLE_MINUTES must be at least 1 and no more than "
                "STAFF_SESSION_MAX_HOURS (in minutes).",
                id="staff.E001",
            )
        )
    if settings.AXES_FAILURE_LIMIT < 1:
        problems.append(Error("STAFF_LOGIN_FAILURE_LIMIT must be at least 1.", id="staff.E002"))
    return problems
