from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "contact"

urlpatterns = [
    path("", views.InquiryFormView.as_view(), name="form"),
    path(_("thanks/<str:token>/"), views.InquiryThanksView.as_view(), name="thanks"),
]
