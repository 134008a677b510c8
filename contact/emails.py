"""The email that tells the front desk about a new inquiry, and its bookkeeping.

Privacy: the subject carries no patient-typed text ("New inquiry R-7K3M9Q: Billing or
insurance"). The body holds the reference, reason, time, preferred contact method and a link to
the admin; the patient's name, contact details and message only when
`CONTACT_EMAIL_INCLUDE_DETAILS` is on, and only then is Reply-To the patient. It is always sent
from `DEFAULT_FROM_EMAIL`: mail "from" the patient's address would fail receivers' DMARC checks.

Sending exactly once: before sending, a sender claims the inquiry with one conditional UPDATE
(only unsent rows that nobody else holds). The database runs that UPDATE atomically on SQLite
and PostgreSQL alike, so of two senders at the same moment (the request's on_commit hook and a
cron run of `send_pending_notifications`, or two cron runs) exactly one wins the row. A claim
lasts `CLAIM_SECONDS`; if the sender dies mid-send, the row is free again after that. The one
case that can still send twice is a process killed after the mail server accepted the message
and before the row was marked sent: email offers no way to make that atomic.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from .models import Inquiry

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 300

# What send_notification did.
SENT = "sent"
FAILED = "failed"  # recorded on the inquiry; send_pending_notifications retries it
SKIPPED = "skipped"  # already sent, or another sender holds it right now


class NoRecipientsError(Exception):
    """Nobody to send to: never count that as sent."""


def claim(inquiry_id, *, force=False):
    """Takes the right to send this inquiry's email. True if this caller got it.

    With `force` (the admin's "resend") an already-sent inquiry may be claimed again, but never
    one another sender holds right now.
    """
    now = timezone.now()
    rows = Inquiry.objects.filter(pk=inquiry_id).claimable(now)
    if not force:
        rows = rows.notification_pending()
    return bool(
        rows.update(
            notification_claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
            notification_attempts=F("notification_attempts") + 1,
        )
    )


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


def send_notification(inquiry, *, force=False):
    """Claims, sends and records. Returns SENT, FAILED or SKIPPED.

    Never raises for a mail failure: the failure is recorded on the inquiry, and
    `send_pending_notifications` retries it.
    """
    if not claim(inquiry.pk, force=force):
        return SKIPPED
    inquiry.refresh_from_db()
    rows = Inquiry.objects.filter(pk=inquiry.pk)
    try:
        if not build_message(inquiry).send(fail_silently=False):
            raise NoRecipientsError("CONTACT_RECIPIENTS is empty")
    except Exception as exc:  # noqa: BLE001 - any failure must stay away from the patient
        error = describe_error(exc)
        rows.update(notification_last_error=error, notification_claimed_until=None)
        logger.warning(
            "Email for inquiry %s failed (attempt %s): %s",
            inquiry.reference,
            inquiry.notification_attempts,
            error,
        )
        return FAILED
    rows.update(
        notification_sent_at=timezone.now(),
        notification_last_error="",
        notification_claimed_until=None,
    )
    logger.info("Emailed the front desk about inquiry %s", inquiry.reference)
    return SENT


def notify_front_desk(inquiry):
    """Emails the front desk about a new inquiry (run after the inquiry is committed)."""
    return send_notification(inquiry)
