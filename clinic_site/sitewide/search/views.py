"""The search page and the suggestions it offers as a patient types.

Thin views over engine.py. What patients type may be about their health: these responses are
never cached (not by the page cache, not by a browser or proxy), never indexed, set no cookie,
and the query is never logged or stored.
"""

from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from clinic_site.core import language
from clinic_site.core.page_meta import PageMetaMixin

from . import query_text
from .engine import search
from .vocabulary import vocabulary


def private(response):
    """No copy kept anywhere, and no search engine lists it."""
    patch_cache_control(response, no_store=True, private=True)
    response["X-Robots-Tag"] = "noindex"
    return response


class SearchView(PageMetaMixin, TemplateView):
    template_name = "search/results.html"
    page_description = _("Search the Cutting Edge Pain patient information pages.")

    def get_page_title(self):
        return _("Search")

    def get(self, request, *args, **kwargs):
        query = request.GET.get("q", "")
        context = self.get_context_data(
            query=query_text.clean(query)[: query_text.MAX_QUERY_LENGTH]
        )
        status = 200
        if query.strip():
            try:
                results = context["results"] = search(query, language.current())
                # The window title says what was found: screen readers read it on arrival.
                context["document_title"] = ngettext(
                    "%(count)s page found for “%(query)s”",
                    "%(count)s pages found for “%(query)s”",
                    results.count,
                ) % {"count": results.count, "query": results.query}
            except query_text.QueryTooLong:
                context["too_long"] = True
                status = 400
        return private(self.render_to_response(context, status=status))


def suggest(request):
    """Up to eight titles and "also called" terms matching what has been typed, as JSON."""
    query = request.GET.get("q", "")
    found = []
    if 1 < len(query.strip()) <= query_text.MAX_QUERY_LENGTH:
        found = [
            {"label": s.text, "title": s.title, "url": s.url}
            for s in vocabulary(language.current()).suggestions(query)
        ]
    return private(JsonResponse({"suggestions": found}))
