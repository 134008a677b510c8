"""sitemap.xml: the fixed pages of every app in each language, then each kind of published
article (English and Spanish rows alike)."""

from django.contrib.sitemaps import Sitemap

from clinic_site.core import language
from conditions.models import Condition, Guide, Treatment
from conditions.sitemaps import ArticleSitemap


class FixedPageSitemap(Sitemap):
    def items(self):
        names = ["pages:home", "pages:urgent", "conditions:list", "conditions:treatment_list",
                 "contact:form"]  # fmt: skip
        return [(code, name) for code in (language.ENGLISH, language.SPANISH) for name in names]

    def location(self, item):
        code, name = item
        return language.reverse_in(code, name)


SITEMAPS = {
    "pages": FixedPageSitemap(),
    "conditions": ArticleSitemap(Condition),
    "treatments": ArticleSitemap(Treatment),
    "guides": ArticleSitemap(Guide),
}
