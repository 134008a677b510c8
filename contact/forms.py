"""The contact form: what a patient may send us, and the checks that keep bots out.

Spam protection, with no third-party captcha (nothing a patient types or does leaves the site):

- A honeypot field, ``website``, hidden from people by CSS (``app-form__trap``). Bots fill it in.
  A POST that lacks it altogether is refused too: bots replay forms they saved earlier.
- A signed token, ``form_token`` (django.core.signing, so it cannot be forged): it carries the
  time the form was served, a random key, and who it was served to (a keyed hash of the client's
  address). A form posted sooner than ``CONTACT_MIN_SECONDS`` or later than
  ``CONTACT_MAX_AGE_SECONDS`` after it was served is not accepted. The key becomes the inquiry's
  ``submission_key``: posting the same served form twice (a double click, a refreshed POST)
  gives back the same inquiry instead of a second one. The token also stands in for Django's
  CSRF cookie (see crosssite.py): posted from another address than it was served to, with no
  browser header saying it came from our page, the form is sent back to be sent again.
- A per-client rate limit (ratelimit.py: counted in Redis, or in the database), applied by the
  view.
"""

import secrets
import time
import unicodedata
from typing import NamedTuple

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Layout
from django import forms
from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from clinic_site.core import language
from clinic_site.core.client_ip import client_ip
from clinic_site.core.clinic.phone import e164
from conditions.models import Condition

from .models import MESSAGE_MAX_LENGTH, NAME_MAX_LENGTH, Inquiry

HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"  # noqa: S105 - a field name, not a secret
TOKEN_SALT = "contact.form-token"  # noqa: S105 - a namespace for signing
CLIENT_SALT = "contact.form-token.client"
PHONE_INPUT_MAX_LENGTH = 30
FIELD_TEMPLATE = "contact/forms/field.html"

# Characters no person types into a form, which could disguise text in the admin or in
# exported files: control characters, and the bidirectional overrides that reorder text.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MULTILINE_ALLOWED = {"\n", "\t"}

CONTROL_CHARACTERS_MESSAGE = _("Remove special characters, such as line breaks, from this field.")
MESSAGE_CONTROL_CHARACTERS = _("Remove special characters from your message.")


class FormToken(NamedTuple):
    served_at: float  # seconds since the epoch, to the millisecond
    key: str  # one per served form: the inquiry's submission_key
    client: str  # who it was served to (client_tag), "" if no one in particular


def client_tag(request):
    """Who a form is served to, as its token carries it: a keyed hash of the client's address
    (the address the rate limit counts, clinic_site/core/client_ip.py), never the address."""
    address = client_ip(request) or "unknown"
    return salted_hmac(CLIENT_SALT, address).hexdigest()[:16]


def new_form_token(now=None, client=""):
    """A signed, unforgeable token: when this form was served, its one-time key, and to whom."""
    payload = {
        # To the millisecond: whole seconds made the minimum-time check up to 1 s lenient.
        "t": round(now if now is not None else time.time(), 3),
        "k": secrets.token_urlsafe(16),
        "c": client,
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=False)


def read_form_token(value):
    """A FormToken, or None if the token is missing, forged or damaged."""
    try:
        payload = signing.loads(value, salt=TOKEN_SALT)
        token = FormToken(float(payload["t"]), str(payload["k"]), str(payload.get("c", "")))
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        return None
    if not token.key or len(token.key) > 64:
        return None
    return token


def has_forbidden_characters(value, allowed=frozenset()):
    return any(
        (unicodedata.category(ch) == "Cc" and ch not in allowed) or ch in BIDI_CONTROLS
        for ch in value
    )


class SingleLineField(forms.CharField):
    """Text on one line. No control characters (CR, LF, NUL, ...) or bidi overrides."""

    def validate(self, value):
        super().validate(value)
        if value and has_forbidden_characters(value):
            raise forms.ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")


class MessageField(forms.CharField):
    """Multi-line text. Browsers send a line break as CR LF but count it as one character
    against ``maxlength``: store it as LF so the server counts as the browser did."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, value):
        super().validate(value)
        if value and has_forbidden_characters(value, MULTILINE_ALLOWED):
            raise forms.ValidationError(MESSAGE_CONTROL_CHARACTERS, code="control_characters")


class InquiryForm(forms.Form):
    """What a patient may send. A plain Form, not a ModelForm: `submit_inquiry` validates the
    model (and the database its constraints), and `clean()` below words the same rules for
    patients. A ModelForm would run the model's checks a second time, a query each, on every
    post. Every field is declared here, so nothing can be mass-assigned."""

    name = SingleLineField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        help_text=_("We only use this to reply to you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = SingleLineField(
        label=_("Phone number"),
        required=False,
        max_length=PHONE_INPUT_MAX_LENGTH,
        help_text=_("For example, 574-404-7246. Give an email address, a phone number or both."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    preferred_contact = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=Inquiry.PreferredContact.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("What is your message about?"),
        choices=Inquiry.Reason.choices,
        widget=forms.RadioSelect,
    )
    condition = forms.ModelChoiceField(
        label=_("Related condition (optional)"),
        queryset=Condition.objects.none(),
        required=False,
        empty_label=_("None or not sure"),
    )
    message = MessageField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_(
            "A few words about what you would like. Please do not include detailed medical "
            "information. You can enter up to 2,000 characters."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    consent = forms.BooleanField(
        label=_("I agree that Cutting Edge Pain may store this message to reply to me."),
        help_text=_("We use it only to reply to you, and delete it once we no longer need it."),
        error_messages={"required": _("Tick the box to agree, so we can store your message.")},
    )
    # Spam checks (not model fields).
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=300, required=False)

    # Why a submission was refused as probable spam (None when it was not).
    spam_reason = None

    def __init__(self, *args, client="", same_origin=False, **kwargs):
        """`client`: who this form is served to, or posted by (`client_tag`). `same_origin`: a
        browser header says the post came from one of our pages (crosssite.py)."""
        super().__init__(*args, **kwargs)
        self.client = client
        self.same_origin = same_origin
        self.fields["condition"].queryset = (
            Condition.objects.published().in_language(language.current()).order_by("title")
        )
        self.fields["email"].error_messages["invalid"] = _(
            "Enter an email address in the correct format, like name@example.com."
        )
        self.fields["name"].error_messages["required"] = _("Enter your name.")
        self.fields["reason"].error_messages["required"] = _("Choose what your message is about.")
        self.fields["preferred_contact"].error_messages["required"] = _(
            "Choose how we should contact you."
        )
        self.fields["message"].error_messages["required"] = _("Enter your message.")
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = _(
                    "This must be %(limit_value)d characters or fewer (it has %(show_value)d)."
                )
            field.error_messages["null_characters_not_allowed"] = CONTROL_CHARACTERS_MESSAGE
        for name in ("name", "message"):
            # Right-to-left names and messages display in their own direction.
            self.fields[name].widget.attrs["dir"] = "auto"
        if not self.is_bound:
            self.initial[TOKEN_FIELD] = new_form_token(client=client)
        self.served_at = None
        self.submission_key = None
        self.helper = self.build_helper()

    def build_helper(self):
        """The layout, in the gds template pack (GOV.UK Design System markup).

        Fields use our own field template (templates/contact/forms/field.html) instead of the
        pack's: crispy-forms-gds 2.0.1's radios get ids its error summary does not link to,
        and its error prefix is not translated. Everything else (classes, widths, hints,
        aria-describedby) comes from the pack.
        """

        def field(name, **kwargs):
            return Field(name, template=FIELD_TEMPLATE, **kwargs)

        helper = FormHelper(self)
        helper.form_tag = False  # the template writes <form> (novalidate, action)
        # No CSRF token, and so no CSRF cookie, in either language: see crosssite.py.
        helper.disable_csrf = True
        helper.layout = Layout(
            field("name", css_class="govuk-!-width-two-thirds"),
            field("email", css_class="govuk-!-width-two-thirds"),
            field("phone", css_class="govuk-!-width-one-third"),
            field("preferred_contact"),
            field("reason"),
            field("condition"),
            field("message", rows=6),
            field("consent"),
            Div(field(HONEYPOT_FIELD), css_class="app-form__trap"),
            Field(TOKEN_FIELD),
            Button("send", _("Send message"), type="submit"),
        )
        return helper

    # Validation ------------------------------------------------------------------------

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        if not value:
            return ""
        number = e164(value)
        if number is None:
            raise forms.ValidationError(
                _("Enter a phone number like 574-404-7246, with the area code."),
                code="invalid_phone",
            )
        return number

    def clean_email(self):
        return self.cleaned_data.get("email", "").strip()

    def clean(self):
        cleaned = super().clean()
        email, phone = cleaned.get("email"), cleaned.get("phone")
        email_failed, phone_failed = "email" in self.errors, "phone" in self.errors
        if not email and not phone and not email_failed and not phone_failed:
            # On the first of the two only: the summary lists each problem once.
            self.add_error("email", _("Enter an email address or a phone number, so we can reply."))
        preferred = cleaned.get("preferred_contact")
        if preferred == Inquiry.PreferredContact.PHONE and not phone and not phone_failed:
            if "phone" not in self.errors:
                self.add_error("phone", _("Enter a phone number, or choose email instead."))
        if preferred == Inquiry.PreferredContact.EMAIL and not email and not email_failed:
            if "email" not in self.errors:
                self.add_error("email", _("Enter an email address, or choose a phone call."))
        self.check_spam()
        return cleaned

    def check_spam(self):
        """The honeypot and the signed token. Sets `spam_reason` for the view."""
        if HONEYPOT_FIELD not in self.data or self.data.get(HONEYPOT_FIELD):
            self.refuse("honeypot")
            return
        token = read_form_token(self.data.get(TOKEN_FIELD, ""))
        if token is None:
            self.refuse("token")
            return
        self.served_at, self.submission_key = token.served_at, token.key
        age = time.time() - self.served_at
        if token.client != self.client and not self.same_origin:
            # Served to another address, and no browser header says it was posted from our
            # page: an old browser posting a form another site fetched from its own server,
            # or a patient whose address changed. Nothing typed is lost: a fresh token, for
            # sending again from this page.
            self.spam_reason = "other_client"
            self.renew_token()
            self.add_error(None, _("Please check your details, then send the form again."))
        elif age < settings.CONTACT_MIN_SECONDS:
            self.spam_reason = "too_fast"
            if not self.errors:  # with other errors, the form is sent again anyway
                self.add_error(None, _("Please check your details, then send the form again."))
        elif age > settings.CONTACT_MAX_AGE_SECONDS:
            # A page left open overnight. Nothing typed is lost: serve a fresh token.
            self.spam_reason = "too_old"
            self.renew_token()
            self.add_error(
                None,
                _(
                    "This page was open for a long time. Please check your details, then send "
                    "the form again."
                ),
            )

    def renew_token(self):
        """The form comes back with a fresh token, served now to this client."""
        self.data = self.data.copy()
        self.data[TOKEN_FIELD] = new_form_token(client=self.client)

    def refuse(self, reason):
        self.spam_reason = reason
        self.add_error(
            None,
            _(
                "Sorry, we could not accept this form. Please reload the page and try again, "
                "or call us."
            ),
        )

    @property
    def is_refused(self):
        """Refused outright (honeypot, forged or missing token): answered with 400."""
        return self.spam_reason in ("honeypot", "token")
