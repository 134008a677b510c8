from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Condition, Guide, Treatment


class ArticleAdmin(SimpleHistoryAdmin):
    """What the three article admins share: list columns, filters, search, slugs."""

    list_display = ("title", "status", "publish_at", "last_reviewed_on", "next_review_due", "updated_at")
    list_filter = ("status",)
    search_fields = ("title", "summary", "slug")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "publish_at"
    save_on_top = True

    def get_fieldsets(self, request, obj=None):
        sections = [name for name, _heading in self.model.SECTIONS]
        return (
            (None, {"fields": ("title", "slug", "summary")}),
            ("Sections", {"fields": sections, "description": "Each section is optional. Empty sections are not shown."}),
            *self.extra_fieldsets,
            ("Publishing", {"fields": ("status", "publish_at")}),
            ("Medical review", {"fields": ("reviewed_by", "reviewer_credentials", "last_reviewed_on", "next_review_due")}),
        )

    extra_fieldsets = ()


@admin.register(Condition)
class ConditionAdmin(ArticleAdmin):
    filter_horizontal = ("treatments", "related_conditions")
    extra_fieldsets = (
        ("Links", {"fields": ("treatments", "related_conditions")}),
        ("For search engines", {"classes": ("collapse",), "fields": ("anatomy_label", "symptom_labels", "test_labels")}),
    )


@admin.register(Treatment)
class TreatmentAdmin(ArticleAdmin):
    pass


@admin.register(Guide)
class GuideAdmin(ArticleAdmin):
    filter_horizontal = ("treatments", "related_conditions")
    extra_fieldsets = (("Links", {"fields": ("treatments", "related_conditions")}),)
