"""What every page's <head> needs: its title, description and public address."""

from django.conf import settings


def page_urls(request):
    """Context processor: the canonical address of this page and of the site."""
    return {"canonical_url": settings.SITE_URL + request.path, "site_url": settings.SITE_URL}


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
