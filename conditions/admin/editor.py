"""The section editors: Markdown boxes with a toolbar, and the live preview they ask for
with its plain-language report (JSON, never saved)."""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from clinic_site.core.language import ENGLISH

from ..forms import SectionTextField
from ..models import (
    PlainerWord,
)
from ..plain_language import analyse
from ..readability import LANGUAGES
from ..widgets import SectionEditor

REPORT_TEMPLATE = "admin/conditions/includes/plain_language_report.html"


class SectionPreviewForm(forms.Form):
    """What the section editor sends to the preview endpoint."""

    # Over the limit, refused with the change form's message, before anything renders it.
    text = SectionTextField(required=False, strip=False)
    language = forms.ChoiceField(
        required=False, choices=[(code, rules.name) for code, rules in LANGUAGES.items()]
    )


class SectionEditorMixin:
    """Every section box is a `SectionEditor`, with the plainer words of the article's language
    and the preview endpoint of its own kind of article."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.model.SECTION_NAMES:
            kwargs["form_class"] = SectionTextField
            kwargs["widget"] = SectionEditor(
                preview_url=reverse(self._url_name("preview"), current_app=self.admin_site.name),
                links_url=reverse(self._url_name("links"), current_app=self.admin_site.name),
                heading=dict(self.model.SECTIONS)[db_field.name],
            )
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "publish_at" and isinstance(formfield.widget, AdminSplitDateTime):
            # The admin's date and time boxes have no label of their own (axe-core "label").
            date, time = formfield.widget.widgets
            date.attrs["aria-label"] = _("Publish date (clinic time)")
            time.attrs["aria-label"] = _("Publish time (clinic time)")
        return formfield

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        language = obj.language if obj is not None else ENGLISH
        # One query for the whole page, and only if an editor is shown.
        suggestions = SimpleLazyObject(lambda: PlainerWord.objects.suggestions(language))
        images = SimpleLazyObject(lambda: self._saved_images(obj))
        for name in self.model.SECTION_NAMES:
            field = form.base_fields.get(name)
            if field is not None and isinstance(field.widget, SectionEditor):
                field.widget.language = language
                field.widget.suggestions = suggestions
                field.widget.images = images
        return form

    @staticmethod
    def _saved_images(obj):
        """The article's saved images, for the image button: one query, and none for a new
        article (an image added in the form can be inserted once the page is saved)."""
        if obj is None or obj.pk is None:
            return []
        return list(obj.images.order_by("position", "pk"))

    def _url_name(self, view):
        opts = self.model._meta
        return f"admin:{opts.app_label}_{opts.model_name}_{view}"

    def get_urls(self):
        opts = self.model._meta
        preview = path(
            "preview/",
            self.admin_site.admin_view(self.preview_view),
            name=f"{opts.app_label}_{opts.model_name}_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request):
        """A section's Markdown rendered as the public page renders it, with its
        plain-language report: JSON for the section editor.

        Staff only (admin_view), and only those who may change this kind of article; CSRF
        protected and never cached (admin_view again). Nothing is saved.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = SectionPreviewForm(request.POST)
        if not form.is_valid():
            errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
            return JsonResponse({"errors": errors, "summary": " ".join(errors)}, status=400)
        language = form.cleaned_data["language"] or ENGLISH
        analysis = analyse(
            form.cleaned_data["text"], language, PlainerWord.objects.suggestions(language)
        )
        return JsonResponse(
            {
                "html": analysis.html,
                "preview_html": analysis.marked_html,
                "report_html": render_to_string(
                    REPORT_TEMPLATE, {"report": analysis.report}, request=request
                ),
                "summary": analysis.report.summary,
                "report": analysis.report.as_dict(),
            }
        )
