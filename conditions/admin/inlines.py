"""Sources and images, edited on their article's page: they follow its rules."""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericStackedInline
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import (
    ArticleImage,
    Reference,
)


class FollowsArticleInline:
    """An inline a user may change only while they may change the article it belongs to."""

    def _article_admin(self):
        return self.admin_site.get_model_admin(self.parent_model)

    def _may_change_article(self, request, obj):
        return obj is None or self._article_admin().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_change_article(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change_article(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change_article(
            request, obj
        )


class ReferenceInline(FollowsArticleInline, GenericStackedInline):
    """Stacked, not tabular: the admin's table layout gives the inputs no labels (axe-core
    "label"), which screen reader users need."""

    model = Reference
    fields = ("position", "title", "publisher", "year", "link")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    extra = 0
    verbose_name = _("source")
    verbose_name_plural = _("sources (listed at the end of the page, numbered)")


class ArticleImageForm(forms.ModelForm):
    class Meta:
        model = ArticleImage
        fields = ("image", "alt", "caption", "long_description", "section", "position")
        widgets = {
            "alt": forms.TextInput(attrs={"size": 80}),
            "caption": forms.TextInput(attrs={"size": 80}),
            "long_description": forms.Textarea(attrs={"rows": 4, "cols": 80}),
        }

    MAX_UPLOAD_BYTES = 10 * 1024 * 1024

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and getattr(image, "size", 0) > self.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 10 MB. Save a smaller copy and upload that.")
            )
        return image


class ArticleImageInline(FollowsArticleInline, GenericStackedInline):
    model = ArticleImage
    form = ArticleImageForm
    fields = (
        "image",
        "static_file",
        "thumbnail",
        "alt",
        "caption",
        "long_description",
        "section",
        "position",
    )
    readonly_fields = ("static_file", "thumbnail")
    extra = 0
    verbose_name = _("image")
    verbose_name_plural = _("images")

    @admin.display(description=_("how it looks"))
    def thumbnail(self, image):
        if image is None or not (image.image or image.static_file):
            return "-"
        height = round(240 * image.height / image.width) if image.width and image.height else ""
        return format_html(
            '<img class="app-thumbnail" src="{}" alt="{}" width="240" height="{}">',
            image.url,
            image.alt,
            height,
        )

    def get_formset(self, request, obj=None, **kwargs):
        """Offer the article's own sections as the place an image goes."""
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("section")
        if field is not None:
            choices = [(name, heading) for name, heading in self.parent_model.SECTIONS]
            formset.form.base_fields["section"] = forms.ChoiceField(
                label=field.label, help_text=field.help_text, choices=choices
            )
        return formset
