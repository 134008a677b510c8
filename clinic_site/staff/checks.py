"""System checks for the staff sign-in settings, and the client address setting's old name."""

import os

from django.conf import settings
from django.core.checks import Error, Warning, register


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
    if os.environ.get("CONTACT_CLIENT_IP_HEADER") and not os.environ.get("CLIENT_IP_HEADER"):
        problems.append(
            Warning(
                "CONTACT_CLIENT_IP_HEADER is the old name of CLIENT_IP_HEADER, which now also "
                "tells the staff sign-in lockout where the client address is.",
                hint="Rename it to CLIENT_IP_HEADER; the old name will stop working.",
                id="staff.W001",
            )
        )
    return problems
