"""Site-wide pages that belong to no app: robots.txt and the server error page."""

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from .models import ClinicDetails


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page declares."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def server_error(request):
    """The 500 page, rendered with no database and no context processors: the failure may be
    in either. It shows the clinic's details as the brief gives them."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"clinic": ClinicDetails.from_brief()}))


class PageMetaMixin:
    """Gives a view's template the page's title and description once, for <title>, the meta
    description and the Open Graph tags in base.html."""

    page_title = ""
    page_description = ""

    def get_page_title(self):
        return self.page_title

    def get_page_description(self):
        return self.page_description

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("page_title", self.get_page_title())
        context.setdefault("page_description", self.get_page_description())
        return context
