"""The clinic's contact details: one record that staff edit and every page shows."""

from django.db import models
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber
from simple_history.models import HistoricalRecords

from clinic_site.core import language
from clinic_site.core.language import SPANISH
from clinic_site.core.pagecache.models import PublicContent
from clinic_site.core.text import nonblank_lines

from .phone import as_typed, display_number, tel_href

# What the content brief gives, as the fields' defaults. Address, hours and names are not
# given: they stay empty.
FROM_BRIEF = {
    "name": "Cutting Edge Pain",
    "phone": "+15744047246",
    "phone_letters": "574-404-PAIN",
    "fax": "574-333-3200",
    "email": "info@cuttingedgepain.com",
}


# Languages staff may speak, by code: Django names each in the reader's language.
STAFF_LANGUAGES = (
    "en",
    "es",
    "vi",
    "ar",
    "fr",
    "ko",
    "ru",
    "de",
    "pl",
    "pt",
    "hi",
    "ur",
    "my",
    "uk",
)


def language_name(code):
    return translation.get_language_info(code)["name_translated"]


class ClinicDetails(PublicContent):
    """The single settings record behind the header and footer of every page.

    Hand-written rather than django-solo's SingletonModel: solo's get_solo() creates the row on
    a read (a public page would write), and its admin replaces the history views that
    django-simple-history gives this record. Fields the clinic has not given us stay empty;
    empty fields are simply not shown.
    """

    name = models.CharField(_("clinic name"), max_length=100, default=FROM_BRIEF["name"])
    phone = PhoneNumberField(
        _("phone number"),
        blank=True,
        default=FROM_BRIEF["phone"],
        help_text=_("With the area code, e.g. 574-404-7246."),
    )
    phone_letters = models.CharField(
        _("phone number in letters"),
        max_length=30,
        blank=True,
        default=FROM_BRIEF["phone_letters"],
        help_text=_("Optional easy-to-remember form, e.g. 574-404-PAIN."),
    )
    fax = models.CharField(_("fax number"), max_length=30, blank=True, default=FROM_BRIEF["fax"])
    email = models.EmailField(_("email address"), blank=True, default=FROM_BRIEF["email"])
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
    after_hours_phone = PhoneNumberField(
        _("after-hours phone number"),
        blank=True,
        help_text=_(
            "Optional. Where patients call when the clinic is closed, e.g. after a procedure. "
            "Leave empty if there is none: pages then send urgent signs to the emergency "
            "department only."
        ),
    )
    staff_languages = models.JSONField(
        _("languages our staff speak"),
        default=list,
        blank=True,
        help_text=_("Shown beside the phone number on every page. Leave empty if unsure."),
    )
    interpreter_available = models.BooleanField(
        _("free interpreter available"),
        default=False,
        help_text=_("Tick only if patients can have an interpreter at no cost."),
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

    @cached_property
    def fingerprint(self):
        """Different whenever any detail is: part of the key of the page parts cached with
        them (the header and footer, templates/includes/; worked out once per page)."""
        values = [field.value_from_object(self) for field in self._meta.concrete_fields]
        return repr([as_typed(v) if isinstance(v, PhoneNumber) else v for v in values])

    @property
    def phone_href(self):
        return tel_href(self.phone)

    @property
    def reader_phone_letters(self):
        """The letters form for the page's reader: the letters spell an English word (PAIN),
        so Spanish pages give the digits alone."""
        return "" if language.current() == SPANISH else self.phone_letters

    @property
    def phone_label(self):
        """Both forms when there are both: "574-404-PAIN (574-404-7246)" (digits alone on
        Spanish pages)."""
        digits = display_number(self.phone)
        if self.reader_phone_letters and digits:
            return f"{self.phone_letters} ({digits})"
        return digits

    @property
    def phone_digits(self):
        return display_number(self.phone)

    @property
    def after_hours_href(self):
        return tel_href(self.after_hours_phone)

    @property
    def after_hours_digits(self):
        return display_number(self.after_hours_phone)

    @property
    def staff_language_names(self):
        """The languages staff speak, named in the reader's language ("Spanish", "español")."""
        return [language_name(code) for code in self.staff_languages if code in STAFF_LANGUAGES]

    @property
    def language_help(self):
        return bool(self.staff_language_names or self.interpreter_available)

    @property
    def address_lines(self):
        return nonblank_lines(self.address)

    @property
    def hours_lines(self):
        return nonblank_lines(self.hours)

    @classmethod
    def load(cls):
        """The record (one query; public pages are cached whole instead), never None."""
        return cls.objects.filter(pk=1).first() or cls.from_brief()

    @classmethod
    def from_brief(cls):
        """An unsaved record with the brief's details, for when the database can't help."""
        return cls(pk=1)
