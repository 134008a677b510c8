from django.urls import path

from . import views

app_name = "contact"

urlpatterns = [
    path("", views.InquiryFormView.as_view(), name="form"),
    path("thanks/<str:token>/", views.InquiryThanksView.as_view(), name="thanks"),
]
