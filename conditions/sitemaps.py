"""Published articles of one kind, in every language, for sitemap.xml
(clinic_site/sitewide/pages/sitemaps.py). Each row is its own page with its own address."""

from django.contrib.sitemaps import Sitemap


class ArticleSitemap(Sitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        return (
            self.model.objects.published()
            .only("slug", "language", "updated_at")
            .order_by("language", "slug")
        )

    def lastmod(self, item):
        return item.updated_at
