"""System checks: a mistyped contact setting stops start-up instead of failing patients."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .ratelimit import parse_rate


@register()
def check_contact_settings(app_configs, **kwargs):
    errors = []
    try:
        parse_rate(settings.CONTACT_RATE_LIMIT)
    except ValueError as exc:
        errors.append(Error(str(exc), id="contact.E001"))
    if not settings.CONTACT_RECIPIENTS:
        errors.append(
            Error(
                "CONTACT_RECIPIENTS is empty: nobody would be told about new inquiries.",
                hint="Set CONTACT_RECIPIENTS to the front desk's address(es), comma-separated.",
                id="contact.E002",
            )
        )
    for address in settings.CONTACT_RECIPIENTS:
        try:
            validate_email(address)
        except ValidationError:
            errors.append(
                Error(
                    f"CONTACT_RECIPIENTS holds an invalid address: {address!r}", id="contact.E003"
                )
            )
    if settings.CONTACT_MIN_SECONDS >= settings.CONTACT_MAX_AGE_SECONDS:
        errors.append(
            Error(
                "CONTACT_MIN_SECONDS must be less than CONTACT_MAX_AGE_SECONDS, or no form "
                "could ever be accepted.",
                id="contact.E004",
            )
        )
    return errors
