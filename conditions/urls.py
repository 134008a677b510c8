"""Article pages. The path words are translated: /es/afecciones/… in Spanish."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "conditions"

urlpatterns = [
    path(_("conditions/"), views.ConditionListView.as_view(), name="list"),
    path(_("conditions/<slug:slug>/"), views.ConditionDetailView.as_view(), name="detail"),
    path(_("treatments/"), views.TreatmentListView.as_view(), name="treatment_list"),
    path(_("treatments/<slug:slug>/"), views.TreatmentDetailView.as_view(), name="treatment"),
    path(_("guides/<slug:slug>/"), views.GuideDetailView.as_view(), name="guide"),
]
