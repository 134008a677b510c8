"""Every URL of the site. Apps bring their own, namespaced."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.defaults import page_not_found, permission_denied

from conditions.sitemaps import SITEMAPS

from . import views

admin.site.site_header = "Cutting Edge Pain: staff"
admin.site.site_title = "Cutting Edge Pain staff"
admin.site.index_title = "Articles and inquiries"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("favicon.ico", views.favicon),
    path("contact/", include("contact.urls")),
    path("", include("conditions.urls")),
]

handler500 = "clinic_site.views.server_error"

if settings.DEBUG:
    # Let the designer see the error pages (cookiecutter's habit).
    urlpatterns += [
        path("404/", page_not_found, {"exception": Exception("Page not found")}),
        path("403/", permission_denied, {"exception": Exception("Permission denied")}),
        path("500/", views.server_error),
    ]
    # Uploaded article images. In production the proxy or object storage serves MEDIA_URL.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
