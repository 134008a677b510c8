"""What every page's <head> needs: its title, description, public address, and the same page
in the other language."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clinic_site.core import language


def language_link(code, url):
    return {"code": code, "name": language.name(code), "url": url}


def page_urls(request):
    """Context processor: the canonical address of this page and of the site, and a link to the
    home page in the other language (a view that knows its own counterpart replaces it)."""
    other = language.other(language.current())
    return {
        "canonical_url": settings.SITE_URL + request.path,
        "site_url": settings.SITE_URL,
        "language_link": language_link(other, language.reverse_in(other, "pages:home")),
    }


class PageMetaMixin:
    """Gives a view's template the page's title and description once, for <title>, the meta
    description and the Open Graph tags in base.html; and its addresses in each language, for
    the hreflang links and the link to the other language."""

    page_title = ""
    page_description = ""

    def get_page_title(self):
        return self.page_title

    def get_page_description(self):
        return self.page_description

    def get_alternates(self):
        """{language: absolute address} of this page in each language it is published in.
        A fixed page exists in both; article views say which versions are published."""
        match = self.request.resolver_match
        return {
            code: settings.SITE_URL
            + language.reverse_in(code, match.view_name, kwargs=match.kwargs)
            for code in (language.ENGLISH, language.SPANISH)
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("page_title", self.get_page_title())
        context.setdefault("page_description", self.get_page_description())
        alternates = self.get_alternates()
        other = language.other(language.current())
        if other in alternates:
            # hreflang links only where the other version exists; x-default is the English one.
            context["alternates"] = sorted(alternates.items())
            context["x_default_url"] = alternates.get(language.ENGLISH)
            context["language_link"] = language_link(
                other, alternates[other].removeprefix(settings.SITE_URL)
            )
        return context


def home_crumb():
    return (_("Home"), reverse("pages:home"))


class TopLevelPageMixin(PageMetaMixin):
    """A page one step below home: its breadcrumbs are Home › this page."""

    crumb_label = None  # defaults to the page title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["crumbs"] = [home_crumb(), (self.crumb_label or self.page_title, None)]
        return context
