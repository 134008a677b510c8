"""The admin site: reached only by staff who passed both steps of the sign-in.

django-otp's OTPAdminSite treats a signed-in user without a verified second factor as not
staff. Its own login form asks for password and code together; ours asks in two steps, so that
a staff member without an authenticator app can be taken to enrol one (views.py).
"""

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp.admin import OTPAdminSite


class StaffAdminSite(OTPAdminSite):
    login_template = "staff/login.html"

    def __init__(self, name="admin"):
        # The usual instance name, so that every "admin:..." URL name keeps working.
        super().__init__(name)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """Django's AdminSite.login, with the password step in place of its LoginView."""
        from .views import PasswordStepView

        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": _("Sign in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "idle_minutes": settings.STAFF_SESSION_IDLE_MINUTES,
            "max_hours": settings.STAFF_SESSION_MAX_HOURS,
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        return PasswordStepView.as_view(extra_context=context, template_name=self.login_template)(
            request
        )

    def get_urls(self):
        from . import views

        return [
            path(
                "login/code/",
                views.SecondStepView.as_view(admin_site=self),
                name="staff_verify",
            ),
            path("login/enrol/", views.EnrolView.as_view(admin_site=self), name="staff_enrol"),
            path("login/enrol/qr.svg", views.enrolment_qr, name="staff_enrol_qr"),
            path(
                "backup-codes/",
                self.admin_view(views.BackupCodesView.as_view(admin_site=self)),
                name="staff_backup_codes",
            ),
            *super().get_urls(),
        ]
