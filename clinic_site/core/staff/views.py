"""The staff sign-in, in two steps: the password, then a code (or, the first time, enrolment).

    admin login (password) -> code from the authenticator app or a backup code -> the admin
                           -> first time: enrol the app (QR code) -> backup codes, shown once

Every failed password or code counts towards the lockout (django-axes), by account name and by
client, so a guesser gets a handful of tries at either step before both are refused.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from . import devices, pending
from .forms import CodeForm
from .lockout import lockout_response

BACKUP_CODES_KEY = "staff_backup_codes"


class PasswordStepView(LoginView):
    """The admin's login page: the password step. It signs nobody in (see pending.py)."""

    form_class = AdminAuthenticationForm
    template_name = "staff/login.html"

    def form_valid(self, form):
        user = form.get_user()
        pending.start(self.request, user, self.get_redirect_url())
        step = "verify" if devices.has_second_factor(user) else "enrol"
        return redirect(f"admin:staff_{step}")


class SignInStepMixin:
    """A step after the password: only for whoever is between the two steps."""

    admin_site = None
    title = ""

    @method_decorator(never_cache)
    @method_decorator(sensitive_post_parameters("code"))
    def dispatch(self, request, *args, **kwargs):
        self.user = pending.user(request)
        if self.user is None:
            return redirect("admin:login")
        wrong_step = self.wrong_step()
        if wrong_step:
            return redirect(wrong_step)
        return super().dispatch(request, *args, **kwargs)

    def wrong_step(self):
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **self.admin_site.each_context(self.request),
            title=self.title,
            username=self.user.get_username(),
            **kwargs,
        )


class SecondStepView(SignInStepMixin, FormView):
    form_class = CodeForm
    template_name = "staff/verify.html"
    title = _("Enter your code")

    def wrong_step(self):
        if not devices.has_second_factor(self.user):
            return "admin:staff_enrol"
        return None

    def post(self, request, *args, **kwargs):
        if not AxesProxyHandler.is_allowed(request, self.credentials()):
            pending.clear(request)
            return lockout_response(request, None, self.credentials())
        return super().post(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["code"].help_text = _(
            "The 6-digit code your authenticator app shows now, or one of your backup codes."
        )
        return form

    def form_valid(self, form):
        wait = devices.seconds_to_wait(self.user, form.cleaned_data["code"])
        if wait:
            # Nothing was checked, so nothing counts towards the lockout.
            form.add_error(
                "code",
                ngettext(
                    "Too many wrong codes in a row. Wait %(count)d second, then type the code "
                    "your app shows then.",
                    "Too many wrong codes in a row. Wait %(count)d seconds, then type the code "
                    "your app shows then.",
                    wait,
                )
                % {"count": wait},
            )
            return self.form_invalid(form)
        device = devices.verify(self.user, form.cleaned_data["code"])
        if device is None:
            # Counts towards the lockout like a wrong password; past the limit, the lockout
            # middleware answers instead of this page.
            user_login_failed.send(
                sender=__name__, credentials=self.credentials(), request=self.request
            )
            if getattr(self.request, "axes_locked_out", False):
                pending.clear(self.request)
            form.add_error(
                "code",
                _(
                    "That code did not work. Type the code your app shows now (check that "
                    "your phone's clock is right), or use a backup code."
                ),
            )
            return self.form_invalid(form)
        return HttpResponseRedirect(
            pending.finish(self.request, self.user, device) or reverse("admin:index")
        )

    def credentials(self):
        return {"username": self.user.get_username()}


class EnrolView(SignInStepMixin, FormView):
    """First sign-in: set up an authenticator app, prove it works, get backup codes.

    Each sign-in that reaches this page gets a secret of its own, made for it and confirmed
    only from it. Whoever else knows the password and opens this page gets another secret,
    and doing so voids every secret shown before: a key noted and kept can never become a
    second factor once the real user sets up their app.
    """

    form_class = CodeForm
    template_name = "staff/enrol.html"
    title = _("Set up your authenticator app")
    device = None
    key_replaced = False

    def wrong_step(self):
        if devices.has_second_factor(self.user):
            return "admin:staff_verify"
        return None

    def this_sign_ins_device(self):
        """The app this session is setting up; a new one (voiding any other) if it has none
        or another sign-in's setup replaced it."""
        noted = pending.enrolment_device_id(self.request)
        device = devices.enrolment_device(self.user, noted)
        self.key_replaced = noted is not None and device is None
        if device is None:
            device = devices.start_enrolment(self.user)
            pending.note_enrolment_device(self.request, device)
        return device

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["code"].help_text = _("The 6-digit code the app shows now.")
        form.fields["code"].widget.attrs["inputmode"] = "numeric"
        return form

    def get_context_data(self, **kwargs):
        device = self.device or self.this_sign_ins_device()
        return super().get_context_data(
            secret=devices.secret_text(device), key_replaced=self.key_replaced, **kwargs
        )

    def form_valid(self, form):
        self.device = self.this_sign_ins_device()
        if self.key_replaced:
            form.add_error(
                "code",
                _(
                    "That code is from the key shown before, which no longer works. Add the new "
                    "key below to your app, then type the code it shows."
                ),
            )
            return self.form_invalid(form)
        codes = devices.confirm(self.device, form.cleaned_data["code"])
        if codes is None:
            form.add_error(
                "code",
                _(
                    "That code did not match. Check that the app added this account, and "
                    "that your phone's clock is right, then type the code it shows now."
                ),
            )
            return self.form_invalid(form)
        next_url = pending.finish(self.request, self.user, self.device)
        self.request.session[BACKUP_CODES_KEY] = {"codes": codes, "next": next_url}
        return redirect("admin:staff_backup_codes")


@never_cache
def enrolment_qr(request):
    """The enrolment QR code, as SVG from our own server, only to the sign-in it was made for."""
    user = pending.user(request)
    device = user and devices.enrolment_device(user, pending.enrolment_device_id(request))
    if device is None or devices.has_second_factor(user):
        raise Http404
    return HttpResponse(devices.qr_svg(device), content_type="image/svg+xml")


@method_decorator(never_cache, name="dispatch")
class BackupCodesView(TemplateView):
    """Backup codes, shown once: right after enrolment, or after asking for new ones."""

    admin_site = None
    template_name = "staff/backup_codes.html"

    def get_context_data(self, **kwargs):
        shown = self.request.session.pop(BACKUP_CODES_KEY, None) or {}
        codes = shown.get("codes", [])
        return super().get_context_data(
            **self.admin_site.each_context(self.request),
            title=_("Your backup codes"),
            codes=[f"{code[:4]} {code[4:]}" for code in codes],
            next_url=shown.get("next") or reverse("admin:index"),
            codes_left=devices.backup_codes_left(self.request.user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        """New codes replace the old ones (all of them, used or not)."""
        codes = devices.new_backup_codes(request.user)
        request.session[BACKUP_CODES_KEY] = {"codes": codes, "next": ""}
        return redirect("admin:staff_backup_codes")
