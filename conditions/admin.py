"""The staff side of articles: writing, publishing, medical review, history and readability.

Who may do what is the README's "Staff roles"; this module enforces it (the groups come from
migrations 0004 and 0009).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.contenttypes.admin import GenericStackedInline
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, ArticleImage, Condition, Guide, Reference, Treatment, UrgentAdvice
from .readability import section_grades

PUBLISHING_FIELDS = ("status", "publish_at")
REVIEW_FIELDS = ("reviewed_by", "reviewer_credentials", "last_reviewed_on", "next_review_due")
SIGNED_OFF_FIELDS = PUBLISHING_FIELDS + REVIEW_FIELDS


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


# INLINES: sources and images follow their article's rules
# ------------------------------------------------------------------------------


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


# ARTICLES
# ------------------------------------------------------------------------------


class ArticleAdmin(SimpleHistoryAdmin):
    """What the three article admins share: list columns, filters, search, roles, history."""

    list_display = (
        "title",
        "status",
        "publish_at",
        "reading_grade",
        "last_reviewed_on",
        "next_review_due",
        "updated_at",
    )
    list_filter = ("status", ReviewFilter)
    search_fields = ("title", "summary", "slug")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "publish_at"
    save_on_top = True
    inlines = (ReferenceInline, ArticleImageInline)
    history_list_display = ("status",)
    extra_fieldsets = ()

    class Media:
        css = {"all": ("css/admin.css",)}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "publish_at" and isinstance(formfield.widget, AdminSplitDateTime):
            # The admin's date and time boxes have no label of their own (axe-core "label").
            date, time = formfield.widget.widgets
            date.attrs["aria-label"] = _("Publish date (clinic time)")
            time.attrs["aria-label"] = _("Publish time (clinic time)")
        return formfield

    # Roles ---------------------------------------------------------------------------------

    def can_publish(self, request):
        return request.user.has_perm(self.model.publish_permission())

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or self.can_publish(request):
            return True
        return self._stored_status(obj) == Article.Status.DRAFT

    def _stored_status(self, obj):
        """The status in the database (obj may be an old version, e.g. from the history)."""
        if obj.pk is None:
            return Article.Status.DRAFT
        stored = self.model.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        return stored or Article.Status.DRAFT

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if (
                obj is not None
                and self.has_view_permission(request, obj)
                and not self.has_change_permission(request, obj)
            ):
                self.message_user(
                    request,
                    _(
                        "This page is published or scheduled, so only a medical reviewer can "
                        "change it. Ask one to make the change, or to move it back to draft."
                    ),
                    messages.INFO,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["reading_grade_report"]
        if not self.can_publish(request):
            readonly += SIGNED_OFF_FIELDS
        return readonly

    def get_fieldsets(self, request, obj=None):
        sections = [name for name, _heading in self.model.SECTIONS]
        publishing_help = None
        if not self.can_publish(request):
            publishing_help = _(
                "Only a medical reviewer can publish a page or sign off its review. Save your "
                "work as a draft and ask a reviewer to check it."
            )
        return (
            (None, {"fields": ("title", "slug", "summary")}),
            (_("Readability"), {"fields": ("reading_grade_report",)}),
            (
                _("Sections"),
                {
                    "fields": sections,
                    "description": _("Each section is optional. Empty sections are not shown."),
                },
            ),
            *self.extra_fieldsets,
            (_("Publishing"), {"fields": PUBLISHING_FIELDS, "description": publishing_help}),
            (_("Medical review"), {"fields": REVIEW_FIELDS, "description": publishing_help}),
        )

    def save_model(self, request, obj, form, change):
        if self.can_publish(request):
            # A new review date with the old due date left alone: work the due date out again.
            if "last_reviewed_on" in form.changed_data and "next_review_due" not in (
                form.changed_data
            ):
                obj.next_review_due = None
        else:
            self.keep_signed_off_fields(obj)
        super().save_model(request, obj, form, change)
        grade = obj.reading_grade_score
        if grade > settings.READING_GRADE_LIMIT:
            self.message_user(
                request,
                _(
                    "Saved, but the reading grade is %(grade).1f, above the target of "
                    "%(limit)d. Try shorter sentences and everyday words."
                )
                % {"grade": grade, "limit": settings.READING_GRADE_LIMIT},
                messages.WARNING,
            )

    def keep_signed_off_fields(self, obj):
        """For a user who may not publish: status, publish time and review sign-off stay as
        stored, and a new article is a draft. Read-only fields are already left out of the
        form; this holds whatever else builds the object (a revert, a future form)."""
        stored = self.model.objects.filter(pk=obj.pk).first() if obj.pk else None
        if stored is None:
            defaults = self.model()
            for name in SIGNED_OFF_FIELDS:
                setattr(obj, name, getattr(defaults, name))
            obj.status = Article.Status.DRAFT
            obj.publish_at = timezone.now()
            return
        for name in SIGNED_OFF_FIELDS:
            setattr(obj, name, getattr(stored, name))

    # History -------------------------------------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting saves over the current article: it needs the right to change the article
        as it is now (django-simple-history itself only asks for the view permission)."""
        if request.method == "POST":
            current = self.get_object(request, object_id)
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """The history's "Changes" column, without the HTML rendered from the Markdown (it
        repeats each section change) and the automatic timestamp."""
        excluded = [f"{name}_html" for name, _heading in self.model.SECTIONS] + ["updated_at"]
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=excluded,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    # Readability ---------------------------------------------------------------------------

    @admin.display(description=_("reading grade"), ordering="reading_grade_score")
    def reading_grade(self, obj):
        grade = obj.reading_grade_score  # scored when the article was saved
        if grade > settings.READING_GRADE_LIMIT:
            return format_html(
                '<strong class="app-grade-warning">{} ({})</strong>',
                f"{grade:.1f}",
                _("above %(limit)d") % {"limit": settings.READING_GRADE_LIMIT},
            )
        return f"{grade:.1f}"

    @admin.display(description=_("reading grade"))
    def reading_grade_report(self, obj):
        if obj is None or obj.pk is None:
            return _("Shown after the first save.")
        limit = settings.READING_GRADE_LIMIT
        grade = obj.reading_grade_score
        headings = {"summary": _("Summary"), **dict(self.model.SECTIONS)}
        too_hard = [
            (headings[name], f"{value:.1f}")
            for name, value in section_grades(obj).items()
            if value > limit
        ]
        if grade <= limit and not too_hard:
            return format_html(
                "{} {}",
                f"{grade:.1f}.",
                _("Within the target of grade %(limit)d or lower.") % {"limit": limit},
            )
        return format_html(
            '<strong class="app-grade-warning">{}</strong>{}',
            _(
                "Warning: reading grade %(grade).1f. The target is grade %(limit)d or lower: "
                "use short sentences and everyday words, and explain each medical term."
            )
            % {"grade": grade, "limit": limit},
            format_html(
                "<br>{} {}",
                _("Sections above the target:"),
                format_html_join(", ", "{} ({})", too_hard),
            )
            if too_hard
            else "",
        )


@admin.register(Condition)
class ConditionAdmin(ArticleAdmin):
    filter_horizontal = ("treatments", "related_conditions")
    extra_fieldsets = (
        (_("Links"), {"fields": ("treatments", "related_conditions")}),
        (
            _("For search engines"),
            {
                "classes": ("collapse",),
                "fields": ("anatomy_label", "symptom_labels", "test_labels"),
            },
        ),
    )


@admin.register(Treatment)
class TreatmentAdmin(ArticleAdmin):
    pass


@admin.register(Guide)
class GuideAdmin(ArticleAdmin):
    filter_horizontal = ("treatments", "related_conditions")
    extra_fieldsets = ((_("Links"), {"fields": ("treatments", "related_conditions")}),)


@admin.register(UrgentAdvice)
class UrgentAdviceAdmin(ArticleAdmin):
    """The urgent-help page and the emergency card show the newest published version. To change
    it, an editor adds a new draft (the live one stays live) and a medical reviewer publishes."""

    inlines = (ReferenceInline,)
