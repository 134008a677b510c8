"""The clinic's contact details: one record that staff edit and every page shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# What the content brief gives. Address, hours and names are not given: they stay empty.
FROM_BRIEF = {
    "name": "Cutting Edge Pain",
    "phone": "574-404-7246",
    "phone_letters": "574-404-PAIN",
    "fax": "574-333-3200",
    "email": "info@cuttingedgepain.com",
}


class ClinicDetails(models.Model):
    """The single settings record behind the header and footer of every page.

    Fields the clinic has not given us stay empty; empty fields are simply not shown.
    """

    name = models.CharField(_("clinic name"), max_length=100)
    phone = models.CharField(
        _("phone number"),
        max_length=30,
        blank=True,
        help_text=_("As patients should read it, e.g. 574-404-7246."),
    )
    phone_letters = models.CharField(
        _("phone number in letters"),
        max_length=30,
        blank=True,
        help_text=_("Optional easy-to-remember form, e.g. 574-404-PAIN."),
    )
    fax = models.CharField(_("fax number"), max_length=30, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    address = models.TextField(
        _("street address"),
        max_length=500,
        blank=True,
        help_text=_("One line per row, as it should appear on an envelope."),
    )
    hours = models.TextField(
        _("opening hours"),
        max_length=500,
        blank=True,
        help_text=_("One line per row, e.g. “Monday to Friday: 8 am to 5 pm”."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("clinic details")
        verbose_name_plural = _("clinic details")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # There is only ever one record: always row 1.
        self.pk = 1
        super().save(*args, **kwargs)

    @property
    def phone_href(self):
        """The number as a tel: URI (+1 and digits only), or '' when there is none."""
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        if not digits:
            return ""
        if len(digits) == 10:
            digits = "1" + digits
        return f"tel:+{digits}"

    @property
    def phone_display(self):
        """Both forms when there are both: "574-404-PAIN (574-404-7246)"."""
        if self.phone_letters and self.phone:
            return f"{self.phone_letters} ({self.phone})"
        return self.phone

    @property
    def address_lines(self):
        return [line.strip() for line in self.address.splitlines() if line.strip()]

    @property
    def hours_lines(self):
        return [line.strip() for line in self.hours.splitlines() if line.strip()]

    @classmethod
    def load(cls):
        """The record (one query; public pages are cached whole instead), never None."""
        return cls.objects.filter(pk=1).first() or cls.from_brief()

    @classmethod
    def from_brief(cls):
        """An unsaved record with the brief's details, for when the database can't help."""
        return cls(pk=1, **FROM_BRIEF)
