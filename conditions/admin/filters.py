"""The article lists' filters: medical review due, and Spanish versions out of date."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class ReviewFilter(admin.SimpleListFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return (
            ("overdue", _("Review overdue")),
            ("never", _("Never reviewed")),
        )

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "never":
            return queryset.never_reviewed()
        return queryset


class TranslationFilter(admin.SimpleListFilter):
    """The admin's list of translations out of date: ?translation=outdated."""

    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return (("outdated", _("Out of date with the English version")),)

    def queryset(self, request, queryset):
        if self.value() == "outdated":
            return queryset.translation_out_of_date()
        return queryset
