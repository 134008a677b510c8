from django.urls import path

from . import views

app_name = "contact"

urlpatterns = [
    path("", views.InquiryFormView.as_view(), name="form"),
]
