"""The admin site: reached only by staff who passed both steps of the sign-in.

django-otp's OTPAdminSite treats a signed-in user without a verified second factor as not
staff. Its own login form asks for password and code together; ours asks in two steps, so that
a staff member without an authenticator app can be taken to enrol one (views.py).

Nothing in it tells a staff member about content their role may not see (a front-desk user and
draft articles): every page of a model answers 403 to whoever has no permission on that model,
before it looks anything up, so an id that exists and one that does not get the same answer;
and "View on site" redirects only to objects the user may view in the admin.

Work queues on the index: what waits for whom ("New inquiries: 3"). Any app adds its own by
giving its ModelAdmin a method `work_queues(self, request)` that returns a list of dicts with
`label` (translatable text), `count` (a number) and `url` (the list it opens, filtered to that
work). The index asks only the ModelAdmins the user may view or change, so a role never sees a
count of what it cannot open; each queue should cost one query (a `count()`). Example, in
contact/admin.py:

    def work_queues(self, request):
        return [{"label": _("New inquiries"), "count": ..., "url": ...}]
"""

import functools

from django.conf import settings
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
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

    def admin_view(self, view, cacheable=False):
        """Every page a ModelAdmin serves comes through here: refused (403) to a user with no
        permission at all on its model, before the page looks anything up. Django's own
        history page, and django-simple-history's, would otherwise answer "no such object" for
        a missing id and 403 for an existing one: a count of the drafts, for the front desk."""
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, BaseModelAdmin):
            view = self._for_users_of(model_admin, view)
        return super().admin_view(view, cacheable)

    @staticmethod
    def _for_users_of(model_admin, view):
        @functools.wraps(view)
        def guarded(request, *args, **kwargs):
            # The permissions that list a model on the admin index (Django's own test there).
            if not any(model_admin.get_model_perms(request).values()):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    def index(self, request, extra_context=None):
        context = {"work_queues": self.work_queues(request), **(extra_context or {})}
        return super().index(request, context)

    def work_queues(self, request):
        """The work queues of every ModelAdmin that has some and that this user may view or
        change (see the module's docstring), in the order the models were registered."""
        queues = []
        for model_admin in self._registry.values():
            method = getattr(model_admin, "work_queues", None)
            if method is None or not model_admin.has_view_or_change_permission(request):
                continue
            for queue in method(request):
                queues.append(
                    {"label": queue["label"], "count": int(queue["count"]), "url": queue["url"]}
                )
        return queues

    def view_on_site(self, request, content_type_id, object_id):
        """The admin's "View on site" link (Django's contenttypes shortcut), for objects the user
        may view in the admin only. Anyone else gets the 404 of an object that does not exist:
        never the address of a draft or scheduled article."""
        try:
            content_type = ContentType.objects.get_for_id(content_type_id)
        except ContentType.DoesNotExist:
            raise Http404 from None
        model = content_type.model_class()
        if model is None or not self.may_view(request, model):
            raise Http404
        try:
            obj = content_type.get_object_for_this_type(pk=object_id)
        except (ObjectDoesNotExist, ValueError, ValidationError):
            raise Http404 from None
        if not self.may_view(request, model, obj):
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)

    def may_view(self, request, model, obj=None):
        """Whether the user may view `model` (or `obj`) in this admin, as its ModelAdmin says
        (the view or change permission). A model without one is viewed here by nobody."""
        model_admin = self._registry.get(model)
        return model_admin is not None and model_admin.has_view_or_change_permission(request, obj)

    def get_urls(self):
        from . import views

        django_urls = [
            url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"
        ]
        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
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
            *django_urls,
        ]
