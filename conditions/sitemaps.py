"""sitemap.xml: published articles only, plus the fixed public pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Condition, Guide, Treatment


class ArticleSitemap(Sitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    def items(self):
        return ["conditions:home", "conditions:list", "conditions:treatment_list",
                "conditions:urgent", "contact:form"]  # fmt: skip

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap(),
    "conditions": ArticleSitemap(Condition),
    "treatments": ArticleSitemap(Treatment),
    "guides": ArticleSitemap(Guide),
}
