"""The site's addresses with the admin moved to a secret-looking path, as DJANGO_ADMIN_URL moves
it in production; the `secret_admin_address` fixture puts it in place."""

from django.contrib import admin
from django.urls import path

from clinic_site import urls

SECRET_ADMIN_URL = "staff-b7e41c09d2f8/"

urlpatterns = [
    path(SECRET_ADMIN_URL, admin.site.urls),
    *(pattern for pattern in urls.urlpatterns if getattr(pattern, "app_name", None) != "admin"),
]
handler500 = urls.handler500
