"""Published articles of one kind, for sitemap.xml (clinic_site/pages/sitemaps.py)."""

from django.contrib.sitemaps import Sitemap


class ArticleSitemap(Sitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("slug")

    def lastmod(self, item):
        return item.updated_at
