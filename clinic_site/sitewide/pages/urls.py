"""The site's own pages (robots.txt and the favicon are in clinic_site/urls.py: one address
each, in no language)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "pages"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(_("urgent-help/"), views.UrgentHelpView.as_view(), name="urgent"),
]
