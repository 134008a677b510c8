"""Spanish versions: in line with the English page, or out of date and what changed."""

from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..translations import english_changes, is_out_of_date, mark_in_line


class TranslationMixin:
    @admin.display(description=_("in line with the English version?"))
    def translation_state(self, obj):
        if obj is None or obj.translation_of_id is None:
            return "-"
        english = obj.translation_of
        link = format_html(
            '<a href="{}">{}</a>',
            reverse(self._url_name("change"), args=[english.pk]),
            english.title,
        )
        if is_out_of_date(obj):
            return format_html(
                '<strong class="app-grade-warning">{}</strong> ({})',
                _("Out of date"),
                link,
            )
        return format_html("{} ({})", _("In line"), link)

    @admin.display(description=_("what changed in English"))
    def english_changes(self, obj):
        if obj is None or obj.translation_of_id is None:
            return "-"
        then, changes = english_changes(obj)
        if then is not None and not changes:
            return _("Nothing: the English text is the same as when this version was last in line.")
        return render_to_string(
            "admin/conditions/includes/english_changes.html",
            {"then": then, "changes": changes, "article": obj},
        )

    @admin.action(
        description=_("Mark as in line with the English version"), permissions=["publish"]
    )
    def mark_in_line(self, request, queryset):
        marked = 0
        for article in queryset.filter(translation_of__isnull=False):
            mark_in_line(article, request.user)
            marked += 1
        self.message_user(
            request,
            _("%(count)d marked in line with the English version.") % {"count": marked},
            messages.SUCCESS,
        )
