from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import STAFF_LANGUAGES, ClinicDetails, language_name


class ClinicDetailsForm(forms.ModelForm):
    staff_languages = forms.TypedMultipleChoiceField(
        label=ClinicDetails._meta.get_field("staff_languages").verbose_name.capitalize(),
        help_text=ClinicDetails._meta.get_field("staff_languages").help_text,
        choices=lambda: [(code, language_name(code)) for code in STAFF_LANGUAGES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ClinicDetails
        fields = [f.name for f in ClinicDetails._meta.fields if f.editable and not f.primary_key]


@admin.register(ClinicDetails)
class ClinicDetailsAdmin(SimpleHistoryAdmin):
    """One record: no adding a second, no deleting the only one."""

    form = ClinicDetailsForm
    list_display = ("name", "phone", "email", "updated_at")
    fieldsets = (
        (None, {"fields": ("name",)}),
        (
            "How to reach us",
            {"fields": ("phone", "phone_letters", "after_hours_phone", "fax", "email")},
        ),
        ("Language help", {"fields": ("staff_languages", "interpreter_available")}),
        ("Where and when", {"fields": ("address", "hours")}),
    )

    def has_add_permission(self, request):
        return not ClinicDetails.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
