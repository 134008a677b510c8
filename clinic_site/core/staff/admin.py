"""Staff in the admin: adding a staff member on one page (name, email, role, credentials,
password), the user list with each one's role and whether their authenticator app is set up,
resetting a second factor, unlocking, and the record of who came in. Only superusers see or do
any of it (no role has a permission on users)."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import devices
from .forms import StaffChangeForm, StaffCreationForm, staff_status

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
    """Django's user admin, for staff: one role (a group) instead of groups and permissions,
    "Staff status" set by the role, credentials for medical reviewers; one page to add."""

    add_form = StaffCreationForm
    add_form_template = "admin/auth/user/staff_add_form.html"
    form = StaffChangeForm
    add_fieldsets = (
        (
            None,
            {
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "role",
                    "credentials",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role"), {"fields": ("role", "credentials", "is_active", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    # Role and authenticator before the email address: on a phone, the columns that matter show
    # first.
    list_display = ("username", "full_name", "role", "has_second_factor", "email")
    list_filter = ("groups", "is_superuser", "is_active")
    actions = ["reset_second_factor"]

    class Media:
        css = {"all": ("css/admin.css",)}

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return (
            super()
            .get_queryset(request)
            .annotate(second_factor=Exists(confirmed))
            .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        editor = request.user

        class FormForEditor(form):
            def __init__(self, *args, **form_kwargs):
                form_kwargs.setdefault("editor", editor)
                super().__init__(*args, **form_kwargs)

        return FormForEditor

    def save_model(self, request, obj, form, change):
        obj.is_staff = staff_status(form.cleaned_data.get("role"), obj.is_superuser)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.save_role_fields(form.instance)

    def response_add(self, request, obj, post_url_continue=None):
        # Django's user admin goes on to a second page after "Save"; everything is on the one.
        if "_addanother" in request.POST or IS_POPUP_VAR in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return admin.ModelAdmin.response_add(self, request, obj, post_url_continue)

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description=_("role"))
    def role(self, obj):
        roles = [group.name for group in obj.groups.all()]
        if obj.is_superuser:
            roles.insert(0, _("Superuser"))
        return ", ".join(str(role) for role in roles) or "-"

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
