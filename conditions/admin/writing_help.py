"""The plainer words the writing help suggests, staff-editable."""

from django.contrib import admin

from ..models import (
    PlainerWord,
)


@admin.register(PlainerWord)
class PlainerWordAdmin(admin.ModelAdmin):
    """The words the sentence report suggests replacing, and with what."""

    list_display = ("word", "suggestion", "language")
    list_filter = ("language",)
    search_fields = ("word", "suggestion")
    fields = ("word", "suggestion", "language")
