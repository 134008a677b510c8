"""The staff sign-in in the admin: who has a second factor, resetting it, unlocking, and the
record of who came in. Only superusers see or do any of it."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import devices

# Second factors are set up by their owner at sign-in and reset from the user list; nobody edits
# them by hand (django-otp's own pages would let an admin see or set someone else's secret).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


class SuperusersOnly:
    """Sign-in records are for superusers, whatever permissions a group is given."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Records are kept for STAFF_LOGIN_RECORD_DAYS, then purge_login_records removes them.
        return False


for model in (AccessAttempt, AccessLog, AccessFailureLog):
    admin.site.unregister(model)


@admin.register(AccessAttempt)
class LockoutAdmin(SuperusersOnly, AccessAttemptAdmin):
    """Failed attempts still counting towards a lockout. Removing them unlocks."""

    actions = ["unlock"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "unlock" says what deleting these does
        return actions

    @admin.action(description=_("Unlock: forget these failed attempts"), permissions=["delete"])
    def unlock(self, request, queryset):
        count = sum(1 for attempt in queryset if attempt.delete())
        self.message_user(
            request,
            ngettext(
                "Unlocked: %(count)d failed attempt forgotten.",
                "Unlocked: %(count)d failed attempts forgotten.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(AccessLog)
class SignInRecordAdmin(SuperusersOnly, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class FailedSignInRecordAdmin(SuperusersOnly, AccessFailureLogAdmin):
    pass


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    list_display = (*UserAdmin.list_display, "has_second_factor")
    actions = ["reset_second_factor"]

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(second_factor=Exists(confirmed))

    @admin.display(boolean=True, description=_("authenticator app"), ordering="second_factor")
    def has_second_factor(self, obj):
        return obj.second_factor

    @admin.action(
        description=_("Reset second factor (they set up their app again at next sign-in)"),
        permissions=["reset_second_factor"],
    )
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            devices.reset(user)
        self.message_user(
            request,
            _(
                "Second factor reset for %(names)s. They are signed out, and set up an "
                "authenticator app again when they next sign in."
            )
            % {"names": ", ".join(user.get_username() for user in queryset)},
            messages.SUCCESS,
        )

    def has_reset_second_factor_permission(self, request):
        return request.user.is_superuser
