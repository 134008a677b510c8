"""The staff sign-in's second step (one field: a code from the authenticator app, or a backup
code), and the one-page form that adds or changes a staff member."""

from django import forms
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _

from .models import CREDENTIALS_MAX_LENGTH, StaffProfile

# The group whose members sign medical reviews (created by conditions' migration 0002).
REVIEWERS = "Medical reviewers"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                # Phones offer a code from a text message or the clipboard here.
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class RoleFields(forms.Form):
    """What the one-page staff form adds to Django's user forms: one role (a group, which
    also decides "Staff status") and, for medical reviewers, their credentials. Only a
    superuser may set credentials: for anyone else the field is shown, disabled."""

    role = forms.ModelChoiceField(
        label=_("Role"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("No role (cannot sign in to the admin)"),
        help_text=_(
            "Editors write drafts; medical reviewers also publish and sign reviews; the front "
            "desk works the inquiries. A role lets them sign in to the admin."
        ),
    )
    credentials = forms.CharField(
        label=_("Credentials"),
        max_length=CREDENTIALS_MAX_LENGTH,
        required=False,
        help_text=_(
            'Medical reviewers only: shown after their name in "Medically reviewed by", '
            'e.g. "MD, pain medicine". Only a superuser can set them.'
        ),
    )

    def setup_role_fields(self, user, editor):
        """`user`: the account edited (None when adding); `editor`: who is editing."""
        self.fields["role"].queryset = Group.objects.order_by("name")
        if user is not None and user.pk:
            self.fields["role"].initial = user.groups.order_by("name").first()
            profile = getattr(user, "staff_profile", None) if _has_profile(user) else None
            self.fields["credentials"].initial = profile.credentials if profile else ""
        if editor is None or not editor.is_superuser:
            self.fields["credentials"].disabled = True

    def clean_role_fields(self, cleaned_data):
        role, credentials = cleaned_data.get("role"), cleaned_data.get("credentials", "")
        is_superuser = cleaned_data.get("is_superuser", self.instance.is_superuser)
        if credentials and not is_superuser and (role is None or role.name != REVIEWERS):
            self.add_error(
                "credentials",
                _("Only medical reviewers sign reviews: choose that role, or leave this empty."),
            )

    def save_role_fields(self, user):
        """Called once the user is saved: their one group, and their profile."""
        role = self.cleaned_data.get("role")
        user.groups.set([role] if role else [])
        if "credentials" in self.changed_data or (
            not _has_profile(user) and self.cleaned_data.get("credentials")
        ):
            StaffProfile.objects.update_or_create(
                user=user, defaults={"credentials": self.cleaned_data["credentials"].strip()}
            )


def _has_profile(user):
    try:
        user.staff_profile  # noqa: B018 - the lookup is the test
    except StaffProfile.DoesNotExist:
        return False
    return True


def staff_status(role, is_superuser):
    """Staff status follows the role: set with any role (or for a superuser), cleared without."""
    return role is not None or bool(is_superuser)


class StaffCreationForm(RoleFields, UserCreationForm):
    """Adding a staff member on one page: username, name, email, role, credentials, password."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args, editor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].required = True
        self.fields["role"].empty_label = _("Choose a role")
        self.fields["email"].required = True
        for name in ("first_name", "last_name"):
            self.fields[name].required = True
        self.setup_role_fields(None, editor)

    def clean(self):
        cleaned_data = super().clean()
        self.clean_role_fields(cleaned_data)
        return cleaned_data


class StaffChangeForm(RoleFields, UserChangeForm):
    def __init__(self, *args, editor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_role_fields(self.instance, editor)

    def clean(self):
        cleaned_data = super().clean()
        self.clean_role_fields(cleaned_data)
        return cleaned_data
