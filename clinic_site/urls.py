"""Every URL of the site. Apps bring their own, namespaced."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.defaults import page_not_found, permission_denied

from clinic_site.pages import views as page_views
from clinic_site.pages.sitemaps import SITEMAPS

admin.site.site_header = "Cutting Edge Pain: staff"
admin.site.site_title = "Cutting Edge Pain staff"
admin.site.index_title = "Articles and inquiries"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("contact/", include("contact.urls")),
    path("search/", include("search.urls")),
    path("", include("conditions.urls")),
    path("", include("clinic_site.pages.urls")),
]

handler500 = "clinic_site.pages.views.server_error"

if settings.DEBUG:
    # Let the designer see the error pages (cookiecutter's habit).
    urlpatterns += [
        path("404/", page_not_found, {"exception": Exception("Page not found")}),
        path("403/", permission_denied, {"exception": Exception("Permission denied")}),
        path("500/", page_views.server_error),
    ]
    # Uploaded article images. In production the proxy or object storage serves MEDIA_URL.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
