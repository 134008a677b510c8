"""sitemap.xml: the fixed pages of every app, then each kind of published article."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from conditions.models import Condition, Guide, Treatment
from conditions.sitemaps import ArticleSitemap


class FixedPageSitemap(Sitemap):
    def items(self):
        return ["pages:home", "pages:urgent", "conditions:list", "conditions:treatment_list",
                "contact:form"]  # fmt: skip

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": FixedPageSitemap(),
    "conditions": ArticleSitemap(Condition),
    "treatments": ArticleSitemap(Treatment),
    "guides": ArticleSitemap(Guide),
}
