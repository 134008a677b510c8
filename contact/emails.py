"""The email that tells the front desk about a new inquiry, and its bookkeeping.

Privacy: the subject carries no patient-typed text ("New inquiry R-7K3M9Q: Billing or
insurance"). The body holds the reference, reason, time, preferred contact method and a link to
the admin; the patient's name, contact details and message only when
`CONTACT_EMAIL_INCLUDE_DETAILS` is on, and only then is Reply-To the patient. It is always sent
from `DEFAULT_FROM_EMAIL`: mail "from" the patient's address would fail receivers' DMARC checks.

Sending exactly once: every try first claims the inquiry with one conditional UPDATE (only
unsent rows that nobody else holds and whose try is due). The database runs that UPDATE
atomically on SQLite and PostgreSQL alike, so of two senders at the same moment (two workers, a
retry and the admin's "resend") exactly one wins the row. A claim lasts
`CONTACT_EMAIL_RETRY_SECONDS`; if the sender dies mid-send, the row is free again after that,
when the retry queued together with the claim runs (contact/tasks.py). The one case that can
still send twice is a process killed after the mail server accepted the message and before the
row was marked sent: email offers no way to make that atomic. A database connection cut at
that moment (a restarted or failed-over server) is not such a case: the sender reconnects and
records the send, for as long as its claim lasts (`record_sent`).

Tries run in the task worker (contact/tasks.py), never inside a patient's request.
"""

import logging
import smtplib
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError, connections
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from .models import Inquiry

logger = logging.getLogger(__name__)

# Retries back off from CONTACT_EMAIL_RETRY_SECONDS, doubling, to at most this.
MAX_RETRY_SECONDS = 3600

# What one try did (the task's return value).
SENT = "sent"
FAILED = "failed"  # recorded on the inquiry; its retry is already queued
SKIPPED = "skipped"  # already sent, not due yet, or another sender holds it right now


class NoRecipientsError(Exception):
    """Nobody to send to: never count that as sent."""


def retry_delay(attempt):
    """Seconds from try number `attempt` to the next one: the retry period, doubling each
    time, up to an hour (or the retry period itself, if that is longer)."""
    base = settings.CONTACT_EMAIL_RETRY_SECONDS
    return max(base, min(MAX_RETRY_SECONDS, base * 2 ** (attempt - 1)))


def claim(inquiry, *, force=False, now=None):
    """Takes the right to send this inquiry's email. Returns when the next try is due (the
    caller queues it) if this caller got it, else None.

    With `force` (the admin's "resend") an inquiry whose email was sent, or whose retry is not
    due yet, is claimed too and counts as unsent again; never one another sender holds right now.
    """
    now = now or timezone.now()
    attempt = inquiry.notification_attempts + 1
    held_until = now + timedelta(seconds=settings.CONTACT_EMAIL_RETRY_SECONDS)
    retry_at = now + timedelta(seconds=retry_delay(attempt))
    rows = Inquiry.objects.filter(pk=inquiry.pk).claimable(now)
    changes = {
        "notification_claimed_until": held_until,
        "notification_next_attempt_at": retry_at,
        "notification_attempts": F("notification_attempts") + 1,
    }
    if force:
        changes["notification_sent_at"] = None
    else:
        rows = rows.notification_pending().notification_due(now)
    if not rows.update(**changes):
        return None
    inquiry.notification_attempts = attempt
    inquiry.notification_claimed_until = held_until
    inquiry.notification_next_attempt_at = retry_at
    return retry_at


def describe_error(exc):
    """What went wrong, for staff, without anything a patient typed (and no stack trace)."""
    parts = [type(exc).__name__]
    if isinstance(exc, smtplib.SMTPResponseException):
        parts.append(str(exc.smtp_code))
    elif isinstance(exc, OSError) and exc.strerror:
        parts.append(exc.strerror)
    return ": ".join(parts)[:200]


def build_message(inquiry):
    include_details = settings.CONTACT_EMAIL_INCLUDE_DETAILS
    context = {
        "inquiry": inquiry,
        "include_details": include_details,
        "admin_url": settings.SITE_URL + inquiry.get_admin_url(),
    }
    # Staff read these in the site's language, whatever language the patient used.
    with override(settings.LANGUAGE_CODE):
        subject = render_to_string("contact/email/new_inquiry_subject.txt", context)
        body = render_to_string("contact/email/new_inquiry.txt", context)
        html = render_to_string("contact/email/new_inquiry.html", context)
    # A subject is one line: a line break would start a new header.
    subject = settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    reply_to = [inquiry.email] if include_details and inquiry.email else []
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(settings.CONTACT_RECIPIENTS),
        reply_to=reply_to,
    )
    message.attach_alternative(html, "text/html")
    return message


def deliver(inquiry):
    """Sends the email and records the outcome on the inquiry: SENT or FAILED.

    Only for a caller that holds the claim. Never raises for a mail failure: the failure is
    recorded on the inquiry (its retry is already queued) and never reaches the patient.
    """
    rows = Inquiry.objects.filter(pk=inquiry.pk)
    try:
        if not build_message(inquiry).send(fail_silently=False):
            raise NoRecipientsError("CONTACT_RECIPIENTS is empty")
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
        error = describe_error(exc)
        rows.update(notification_last_error=error, notification_claimed_until=None)
        logger.warning(
            "Email for inquiry %s failed (attempt %s): %s",
            inquiry.reference,
            inquiry.notification_attempts,
            error,
        )
        return FAILED
    record_sent(inquiry)
    logger.info("Emailed the front desk about inquiry %s", inquiry.reference)
    return SENT


def record_sent(inquiry):
    """Marks the inquiry's email sent, reconnecting to the database as often as it takes while
    this sender's claim lasts.

    The mail server has the message by now. Were the mark lost with a cut connection, the
    retry queued with the claim would send the email a second time once the claim ran out; so
    until then, a lost connection is closed and the UPDATE made again on a new one (it sets the
    same values, so making it twice is harmless). Past the claim, another sender may already
    be sending: the error is raised, as before.
    """
    rows = Inquiry.objects.filter(pk=inquiry.pk)
    connection = connections[rows.db]
    pause = 0.1
    while True:
        try:
            rows.update(
                notification_sent_at=timezone.now(),
                notification_last_error="",
                notification_claimed_until=None,
                notification_next_attempt_at=None,
            )
            return
        except (OperationalError, InterfaceError) as exc:
            held_until = inquiry.notification_claimed_until or timezone.now()
            claim_left = (held_until - timezone.now()).total_seconds()
            # Inside a transaction (only ever a test's) the connection cannot be replaced.
            if connection.in_atomic_block or claim_left < pause:
                raise
            logger.warning(
                "Inquiry %s was emailed, but the database did not record it (%s): trying "
                "again for %d more seconds",
                inquiry.reference,
                type(exc).__name__,
                claim_left,
            )
        connection.close()
        time.sleep(pause)
        pause = min(pause * 2, 5)
