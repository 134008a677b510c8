from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ClinicDetails


@admin.register(ClinicDetails)
class ClinicDetailsAdmin(SimpleHistoryAdmin):
    """One record: no adding a second, no deleting the only one."""

    list_display = ("name", "phone", "email", "updated_at")
    fieldsets = (
        (None, {"fields": ("name",)}),
        ("How to reach us", {"fields": ("phone", "phone_letters", "fax", "email")}),
        ("Where and when", {"fields": ("address", "hours")}),
    )

    def has_add_permission(self, request):
        return not ClinicDetails.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
