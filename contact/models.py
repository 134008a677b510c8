"""Patient inquiries sent through the contact form, and their handling by the front desk."""

import secrets

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from clinic_site.core.clinic.phone import display_number
from clinic_site.core.language import language_field
from clinic_site.core.text import fold

# No 0/O or 1/I/L: patients read the reference out over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6

NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254
PHONE_MAX_LENGTH = 20  # E.164 needs at most 16
MESSAGE_MAX_LENGTH = 2000
STAFF_NOTES_MAX_LENGTH = 5000


def new_reference():
    """A short random reference such as R-7K3M9Q.

    Random rather than derived from the primary key: it does not reveal how many inquiries the
    clinic gets, and cannot be guessed from another patient's.
    """
    return "R-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class InquiryQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Inquiry.Status.CLOSED)

    def notification_pending(self):
        """Staff have not been emailed about these yet."""
        return self.filter(notification_sent_at__isnull=True)

    def claimable(self, now=None):
        """Nobody is sending these right now (or whoever was has given up)."""
        now = now or timezone.now()
        return self.filter(
            Q(notification_claimed_until__isnull=True) | Q(notification_claimed_until__lte=now)
        )

    def notification_due(self, now=None):
        """The staff email's next try is due (never tried yet, or its retry time has come)."""
        now = now or timezone.now()
        return self.filter(
            Q(notification_next_attempt_at__isnull=True) | Q(notification_next_attempt_at__lte=now)
        )

    def purgeable(self, now=None):
        """Closed inquiries past the retention period (`CONTACT_RETENTION_DAYS`)."""
        now = now or timezone.now()
        cutoff = now - timezone.timedelta(days=settings.CONTACT_RETENTION_DAYS)
        return self.filter(status=Inquiry.Status.CLOSED, created_at__lt=cutoff)


class Inquiry(models.Model):
    """One message from a patient (or someone for them), stored before anyone is emailed."""

    class Reason(models.TextChoices):
        NEW_PATIENT = "new_patient", _("New patient appointment")
        CONDITION = "condition", _("Question about a condition")
        TREATMENT = "treatment", _("Question about a treatment")
        BILLING = "billing", _("Billing or insurance")
        OTHER = "other", _("Something else")

    class PreferredContact(models.TextChoices):
        PHONE = "phone", _("Phone call")
        EMAIL = "email", _("Email")
        EITHER = "either", _("Either is fine")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")

    # Given by save() (not a callable default, which migrations would have to import).
    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    # From the signed token in the form the patient was served: a double click or a refreshed
    # POST carries the same key, and the unique constraint turns it into the same inquiry.
    submission_key = models.CharField(max_length=64, unique=True, editable=False)

    # What the patient typed. Read-only in the admin.
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    # The name folded (lower case, no accents), written by save(): the admin's search finds
    # "José Hernández" from "Hernandez" on SQLite and PostgreSQL alike. A stored column rather
    # than PostgreSQL's unaccent: SQLite has no unaccent, and one way for both databases is
    # one way to test.
    search_name = models.CharField(max_length=NAME_MAX_LENGTH, editable=False, default="")
    email = models.EmailField(_("email"), max_length=EMAIL_MAX_LENGTH, blank=True)
    # django-phonenumber-field (as the clinic's own numbers): the column still holds E.164
    # text, and now no path (the form, the admin, the shell) can store a number that is not
    # one.
    phone = PhoneNumberField(
        _("phone"),
        max_length=PHONE_MAX_LENGTH,
        blank=True,
        help_text=_("Stored in international form, e.g. +15744047246."),
    )
    preferred_contact = models.CharField(
        _("preferred contact"), max_length=10, choices=PreferredContact.choices
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    condition = models.ForeignKey(
        "conditions.Condition",
        verbose_name=_("related condition"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
    )
    # A TextField's max_length only reaches the form; the validator makes full_clean check it.
    message = models.TextField(
        _("message"),
        max_length=MESSAGE_MAX_LENGTH,
        validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH)],
    )
    consent = models.BooleanField(_("agreed to the privacy notice"), default=False)
    # The language of the page the patient wrote from: the front desk replies in it.
    language = language_field(
        help_text=_("The language of the form the patient used: reply in it.")
    )
    created_at = models.DateTimeField(
        _("received"), default=timezone.now, editable=False, db_index=True
    )

    # The front desk's work.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The staff member who is answering this inquiry."),
    )
    # The staff email. Bookkeeping only: no patient text is ever stored here.
    notification_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    notification_last_error = models.CharField(_("last email error"), max_length=200, blank=True)
    notification_sent_at = models.DateTimeField(_("email sent"), null=True, blank=True)
    # Whoever is sending the email holds it until then, so two senders never both send it.
    notification_claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    # When the queued retry runs (empty: due at once). Any other try before then does nothing.
    notification_next_attempt_at = models.DateTimeField(
        _("next email attempt"), null=True, blank=True, editable=False
    )

    # The audit trail: who changed what and when. The staff email's bookkeeping is written by
    # the task worker with conditional UPDATEs (see emails.py), not by a person: it is not part
    # of it (a later save by staff would otherwise carry the worker's changes as theirs). The
    # history page shows the email's sending from the row itself, as the system's.
    history = HistoricalRecords(
        excluded_fields=[
            "search_name",
            "notification_attempts",
            "notification_last_error",
            "notification_sent_at",
            "notification_claimed_until",
            "notification_next_attempt_at",
        ]
    )

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="inquiry_has_email_or_phone"
            ),
            models.CheckConstraint(condition=Q(consent=True), name="inquiry_has_consent"),
            models.CheckConstraint(
                condition=Q(status__in=["new", "in_progress", "closed"]),
                name="inquiry_status_valid",
            ),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = new_reference()
        self.search_name = fold(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def phone_display(self):
        return display_number(self.phone)

    def get_admin_url(self):
        return reverse("admin:contact_inquiry_change", args=[self.pk])


class InquiryNote(models.Model):
    """One dated entry in an inquiry's staff notes. Entries are only ever added, each with its
    author: two staff members writing at once each add their own, and nobody's is lost."""

    inquiry = models.ForeignKey(
        Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(
        _("written"), default=timezone.now, editable=False, db_index=True
    )
    text = models.TextField(
        _("note"),
        max_length=STAFF_NOTES_MAX_LENGTH,
        validators=[MaxLengthValidator(STAFF_NOTES_MAX_LENGTH)],
        help_text=_("Internal only. Never shown to the patient."),
    )

    class Meta:
        verbose_name = _("staff note")
        verbose_name_plural = _("staff notes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.inquiry} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class RateLimitCount(models.Model):
    """One client's contact form submissions in its current window: the rate limit's count when
    there is no Redis (contact/ratelimit.py). The client is a keyed hash of its address, never
    the address; `purge_inquiries` deletes windows that have ended."""

    key = models.CharField(max_length=64, primary_key=True)
    window_started_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rate limit count")
        verbose_name_plural = _("rate limit counts")

    def __str__(self):
        return f"{self.count} since {self.window_started_at:%Y-%m-%d %H:%M}"
