"""Which language a request is in. Only its address says: /es/… is Spanish, anything else
English. Never the Accept-Language header or a cookie: readers stay cookie-free, and the page
cache keys pages by (language, path), so one address must always mean one language."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

ENGLISH = "en"
SPANISH = "es"
LANGUAGE_CODES = (ENGLISH, SPANISH)


def language_field(**kwargs):
    """The field that says which language a row is in ("en" or "es"): an article, an inquiry."""
    return models.CharField(
        _("language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default=ENGLISH,
        db_index=True,
        **kwargs,
    )


def activation_code(language):
    """What to activate for `language`: English is the site's LANGUAGE_CODE ("en-us"), which
    i18n_patterns serves without a prefix; activating plain "en" would ask for /en/…."""
    return settings.LANGUAGE_CODE if language == ENGLISH else language


def language_from_path(path):
    """The code to activate for an address: "es" under /es/, else the site's default."""
    code = translation.get_language_from_path(path)
    return code if code and code != ENGLISH else settings.LANGUAGE_CODE


def current():
    """The active language as "en" or "es" (the values of Article.language)."""
    return translation.get_supported_language_variant(
        translation.get_language() or settings.LANGUAGE_CODE
    )


def other(language):
    return ENGLISH if language == SPANISH else SPANISH


def reverse_in(language, viewname, **kwargs):
    """An address of the site in `language`, whatever language is active."""
    with translation.override(activation_code(language)):
        return reverse(viewname, **kwargs)


def name(language):
    """A language's name in that language, for the link that switches to it."""
    return {ENGLISH: "English", SPANISH: "Español"}[language]


class URLLanguageMiddleware:
    """Activates the language the address is in, for the whole request.

    In place of django.middleware.locale.LocaleMiddleware: for an address without a language
    prefix, that one falls back to the language cookie and the Accept-Language header, so
    /conditions/ could come out in Spanish (and be stored in the page cache as English). Here an
    English address is English for everyone. It sits before the page cache, which keys stored
    pages by language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = language_from_path(request.path_info)
        with translation.override(code):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.setdefault("Content-Language", code)
        return response
