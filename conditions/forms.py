"""A section's Markdown as the admin takes it: the change form and the live preview alike.

One limit, `SECTION_MAX_LENGTH` characters, with one message, checked before anything renders
the text. Rendering is linear in the text (markdown.py); the limit keeps that time, and the
preview's plain-language report, short whatever is pasted.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .models import SECTION_MAX_LENGTH

TOO_LONG_MESSAGE = _(
    "The text is longer than %(limit_value)d characters, the most a section can hold "
    "(it has %(show_value)d)."
)


class SectionLengthValidator(MaxLengthValidator):
    """At most `limit_value` characters, a line break counted once.

    Browsers count a line break as one character against a text box's maxlength but send it as
    two (CR LF) when the form is saved, while the section editor's preview sends one (LF): so
    the same text is counted the same way on save and in the preview, as the browser counted it.
    """

    message = TOO_LONG_MESSAGE

    def clean(self, x):
        return len(x.replace("\r\n", "\n"))


def too_long(text):
    """The limit's message if `text` is over it, else None."""
    try:
        SectionLengthValidator(SECTION_MAX_LENGTH)(text)
    except forms.ValidationError as error:
        return error.messages[0]
    return None


class SectionTextField(forms.CharField):
    """A section's Markdown: at most SECTION_MAX_LENGTH characters (maxlength on the text box
    too), counted and refused as SectionLengthValidator says."""

    def __init__(self, *, max_length=SECTION_MAX_LENGTH, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]
        self.validators.append(SectionLengthValidator(max_length))
