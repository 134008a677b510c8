"""System checks: a mistyped contact setting stops start-up instead of failing patients."""

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .ratelimit import parse_rate
from .tasks import send_staff_email

# A try holds its inquiry for CONTACT_EMAIL_RETRY_SECONDS; an SMTP conversation is several
# waits for the server, each up to EMAIL_TIMEOUT. Well within the claim, the try never outlives
# it (which is when a second sender could take the same email).
TIMEOUTS_PER_CLAIM = 10


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
    timeout = settings.EMAIL_TIMEOUT
    if timeout is None or settings.CONTACT_EMAIL_RETRY_SECONDS < TIMEOUTS_PER_CLAIM * timeout:
        errors.append(
            Error(
                f"CONTACT_EMAIL_RETRY_SECONDS ({settings.CONTACT_EMAIL_RETRY_SECONDS:g}) must be "
                f"at least {TIMEOUTS_PER_CLAIM} times DJANGO_EMAIL_TIMEOUT ({timeout}): a staff "
                "email could still be sending when its retry starts, and go out twice.",
                id="contact.E005",
            )
        )
    return errors


@register(deploy=True)
def check_tasks_run_in_the_background(app_configs, **kwargs):
    """Production must queue the staff email for the worker, not send it inside the request."""
    if settings.DEBUG:
        return []
    backend = type(send_staff_email.get_backend()).__name__
    if backend == "ImmediateBackend":
        return [
            Warning(
                "TASKS uses the immediate backend: staff email would be sent inside the "
                "patient's request, which then waits on the mail server (up to "
                "DJANGO_EMAIL_TIMEOUT for each step when it hangs).",
                hint="Unset DJANGO_TASKS_BACKEND (the database queue) and run the worker.",
                id="contact.W001",
            )
        ]
    if backend == "DummyBackend":
        return [
            Warning(
                "TASKS uses the dummy backend: staff email would be queued and never sent.",
                hint="Unset DJANGO_TASKS_BACKEND (the database queue) and run the worker.",
                id="contact.W002",
            )
        ]
    return []
