from django.urls import path

from . import views

app_name = "conditions"

urlpatterns = [
    path("conditions/", views.ConditionListView.as_view(), name="list"),
    path("conditions/<slug:slug>/", views.ConditionDetailView.as_view(), name="detail"),
    path("treatments/", views.TreatmentListView.as_view(), name="treatment_list"),
    path("treatments/<slug:slug>/", views.TreatmentDetailView.as_view(), name="treatment"),
    path("guides/<slug:slug>/", views.GuideDetailView.as_view(), name="guide"),
]
