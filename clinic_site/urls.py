"""Every URL of the site. Apps bring their own, namespaced.

Public pages are in English at their addresses and in Spanish under /es/ (i18n_patterns without
a prefix for the default language, so no English address changed). The admin, sitemap.xml,
robots.txt and the favicon have one address, outside the language patterns.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.defaults import page_not_found, permission_denied

from clinic_site.sitewide.pages import errors as error_pages
from clinic_site.sitewide.pages import views as page_views
from clinic_site.sitewide.pages.sitemaps import SITEMAPS

admin.site.site_header = "Cutting Edge Pain: staff"
admin.site.site_title = "Cutting Edge Pain staff"
admin.site.index_title = "Articles and inquiries"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", page_views.robots_txt, name="robots"),
    path("favicon.ico", page_views.favicon, name="favicon"),
]

urlpatterns += i18n_patterns(
    # Translators: the contact form's address under /es/; lowercase, no accents, a slash last.
    path(_("contact/"), include("contact.urls")),
    path("search/", include("clinic_site.sitewide.search.urls")),
    path("", include("conditions.urls")),
    path("", include("clinic_site.sitewide.pages.urls")),
    prefix_default_language=False,
)

handler500 = "clinic_site.sitewide.pages.errors.server_error"

if settings.DEBUG:
    # Let the designer see the error pages (cookiecutter's habit), in each language.
    urlpatterns += i18n_patterns(
        path("404/", page_not_found, {"exception": Exception("Page not found")}),
        path("403/", permission_denied, {"exception": Exception("Permission denied")}),
        path("500/", error_pages.server_error),
        path("503/", error_pages.service_unavailable),
        prefix_default_language=False,
    )
    # Uploaded article images. In production the proxy or object storage serves MEDIA_URL.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
