"""The one workflow of the contact app: store an inquiry, then queue the front desk's email."""

import logging
from functools import partial

from django.db import IntegrityError, transaction
from django.views.decorators.debug import sensitive_variables

from clinic_site.core.language import ENGLISH

from .models import Inquiry, new_reference
from .tasks import queue_staff_email

REFERENCE_ATTEMPTS = 5

logger = logging.getLogger(__name__)


@sensitive_variables("name", "email", "phone", "message")
def submit_inquiry(
    *,
    submission_key: str,
    name: str,
    email: str = "",
    phone: str = "",
    preferred_contact: str,
    reason: str,
    message: str,
    consent: bool,
    condition=None,
    language: str = ENGLISH,
) -> Inquiry:
    """Stores the inquiry, then queues the front desk's email once the transaction has committed.

    Stored first, never lost: the email is queued only after the row is safely in the database,
    and the task worker sends it (contact/tasks.py); the patient never waits on the mail server.

    Idempotent on `submission_key` (one per served form): a double click or a refreshed POST
    returns the inquiry the first request stored, and queues nothing more.

    Cheap on purpose (every query here is paid by every patient who writes): the fields are
    checked in Python, and what needs the database (unique keys, the check constraints, that
    the condition exists) the database enforces when the row is inserted. Only an insert that
    fails runs the full validation, to tell bad input from a duplicate.
    """
    inquiry = Inquiry(
        reference=new_reference(),
        submission_key=submission_key,
        name=name,
        email=email,
        phone=phone,
        preferred_contact=preferred_contact,
        reason=reason,
        condition=condition,
        message=message,
        consent=consent,
        language=language,
    )
    inquiry.full_clean(exclude=["condition"], validate_unique=False, validate_constraints=False)
    for _attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                inquiry.save(force_insert=True)
                transaction.on_commit(partial(queue_staff_email, inquiry.pk), robust=True)
        except IntegrityError:
            # The same form posted twice (the other request stored it first), data the
            # database refuses, or (about one in 10^8) a reference already taken.
            existing = Inquiry.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return existing
            inquiry.pk = None
            inquiry.full_clean(validate_unique=False)  # raises ValidationError for bad data
            inquiry.reference = new_reference()
            continue
        logger.info("Stored inquiry %s (%s)", inquiry.reference, inquiry.reason)
        return inquiry
    raise IntegrityError("Could not find a free inquiry reference")
