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
from django.http import HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import update_change_reason

from clinic_site.language import ENGLISH

from . import checklist
from .changes import changes_against, live_version
from .forms import SectionTextField
from .models import (
    Article,
    ArticleImage,
    Condition,
    Guide,
    PlainerWord,
    Reference,
    Treatment,
    UrgentAdvice,
)
from .plain_language import LANGUAGES, analyse
from .readability import (
    READING_EASE_TARGET,
    reading_ease_label,
    section_scores,
    within_reading_ease_target,
)
from .translations import english_changes, is_out_of_date, mark_in_line
from .widgets import SectionEditor

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

REPORT_TEMPLATE = "admin/conditions/includes/plain_language_report.html"


class SectionPreviewForm(forms.Form):
    """What the section editor sends to the preview endpoint."""

    # Over the limit, refused with the change form's message, before anything renders it.
    text = SectionTextField(required=False, strip=False)
    language = forms.ChoiceField(
        required=False, choices=[(code, rules.name) for code, rules in LANGUAGES.items()]
    )


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
        "language",
        "translation_state",
    )
    list_filter = ("status", ReviewFilter, "language", TranslationFilter)
    list_select_related = ("translation_of",)
    actions = ("mark_in_line",)
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
        if db_field.name in self.model.SECTION_NAMES:
            kwargs["form_class"] = SectionTextField
            kwargs["widget"] = SectionEditor(
                preview_url=reverse(self._url_name("preview"), current_app=self.admin_site.name),
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
        for name in self.model.SECTION_NAMES:
            field = form.base_fields.get(name)
            if field is not None and isinstance(field.widget, SectionEditor):
                field.widget.language = language
                field.widget.suggestions = suggestions
        return form

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
        language = form.cleaned_data["language"] or "en"
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

    # Roles ---------------------------------------------------------------------------------

    def can_publish(self, request):
        return request.user.has_perm(self.model.publish_permission())

    def has_publish_permission(self, request):
        """For actions marked permissions=["publish"]: medical reviewers only."""
        return self.can_publish(request)

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
        readonly = [
            "reading_grade_report",
            "publish_checklist",
            "changes_since_live",
            "translation_state",
            "english_changes",
        ]
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
        changes = ()
        if self.live_changes(obj):
            changes = (
                (
                    _("Changes against the live version"),
                    {
                        "fields": ("changes_since_live",),
                        "description": _(
                            "What this text changes in the version last published, in the "
                            "words a reader sees."
                        ),
                    },
                ),
            )
        language_fields = ["language", "translation_of"]
        if obj is not None and obj.translation_of_id:
            language_fields += ["translation_state", "english_changes"]
        return (
            (None, {"fields": ("title", "slug", "summary", "also_called")}),
            (
                _("Language"),
                {
                    "fields": language_fields,
                    "description": _(
                        "A Spanish page is its own page: its own web address, review and "
                        "publishing. Link it to the English page it is a version of."
                    ),
                },
            ),
            *changes,
            (_("Readability"), {"fields": ("reading_grade_report",)}),
            (
                _("Sections"),
                {
                    "fields": sections,
                    "description": _("Each section is optional. Empty sections are not shown."),
                },
            ),
            *self.extra_fieldsets,
            (
                _("Publishing"),
                {
                    "fields": ("publish_checklist", *PUBLISHING_FIELDS),
                    "description": publishing_help,
                },
            ),
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
        ease = obj.reading_ease_score
        if ease is not None and not within_reading_ease_target(ease):
            self.message_user(
                request,
                _(
                    "Saved, but the reading ease is %(score)s, below the target of %(target)d. "
                    "Try shorter sentences and everyday words."
                )
                % {"score": reading_ease_label(ease), "target": READING_EASE_TARGET},
                messages.WARNING,
            )
        grade = obj.reading_grade_score
        if grade is not None and grade > settings.READING_GRADE_LIMIT:
            self.message_user(
                request,
                _(
                    "Saved, but the reading grade is %(grade).1f, above the target of "
                    "%(limit)d. Try shorter sentences and everyday words."
                )
                % {"grade": grade, "limit": settings.READING_GRADE_LIMIT},
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        """Once sources and images are saved too, a reviewer who publishes gets the checklist's
        warnings, and the history keeps them as the reason for the change."""
        super().save_related(request, form, formsets, change)
        article = form.instance
        if not (self.can_publish(request) and article.status == Article.Status.PUBLISHED):
            return
        items = checklist.publish_checklist(article)
        update_change_reason(article, checklist.change_reason(items))
        warnings = checklist.missing(items)
        if warnings:
            self.message_user(
                request,
                _("%(reason)s. Published anyway: the history keeps this note.")
                % {"reason": checklist.change_reason(items)},
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

    # Checklist and changes ---------------------------------------------------------------

    @admin.display(description=_("before publishing"))
    def publish_checklist(self, obj):
        if obj is None or obj.pk is None:
            return _("Shown after the first save.")
        return render_to_string(
            "admin/conditions/includes/publish_checklist.html",
            {"items": checklist.publish_checklist(obj)},
        )

    def live_changes(self, obj):
        """The changes against the live version (cached on obj: asked for twice a page)."""
        if obj is None or obj.pk is None:
            return []
        if not hasattr(obj, "_live_changes"):
            live = live_version(obj)
            obj._live_changes = (live, changes_against(obj, live) if live else [])
        return obj._live_changes[1]

    @admin.display(description=_("changes"))
    def changes_since_live(self, obj):
        changes = self.live_changes(obj)
        if not changes:
            return _("None: this is the text last published.")
        return render_to_string(
            "admin/conditions/includes/live_changes.html",
            {"live": obj._live_changes[0], "changes": changes, "article": obj},
        )

    # Translations --------------------------------------------------------------------------

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

    # Readability ---------------------------------------------------------------------------
    # English pages show the Flesch-Kincaid grade (target 8 or lower), Spanish pages the
    # Fernández-Huerta reading ease (target 70 or higher), each scored when the page was saved.

    @admin.display(description=_("readability"), ordering="reading_grade_score")
    def reading_grade(self, obj):
        ease = obj.reading_ease_score
        if ease is not None:
            if within_reading_ease_target(ease):
                return reading_ease_label(ease)
            return format_html(
                '<strong class="app-grade-warning">{} ({})</strong>',
                reading_ease_label(ease),
                _("below %(target)d") % {"target": READING_EASE_TARGET},
            )
        grade = obj.reading_grade_score
        if grade is None:
            return "-"
        if grade > settings.READING_GRADE_LIMIT:
            return format_html(
                '<strong class="app-grade-warning">{} ({})</strong>',
                f"{grade:.1f}",
                _("above %(limit)d") % {"limit": settings.READING_GRADE_LIMIT},
            )
        return f"{grade:.1f}"

    @admin.display(description=_("score"))
    def reading_grade_report(self, obj):
        if obj is None or obj.pk is None:
            return _("Shown after the first save.")
        if obj.reading_ease_score is not None:
            return self.reading_ease_report(obj)
        limit = settings.READING_GRADE_LIMIT
        grade = obj.reading_grade_score or 0.0
        headings = {"summary": _("Summary"), **dict(self.model.SECTIONS)}
        too_hard = [
            (headings[name], f"{value:.1f}")
            for name, value in section_scores(obj).items()
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

    def reading_ease_report(self, obj):
        """A Spanish page's reading ease, and each part of it below the target."""
        ease = obj.reading_ease_score
        headings = {"summary": _("Summary"), **dict(self.model.SECTIONS)}
        too_hard = [
            (headings[name], reading_ease_label(value))
            for name, value in section_scores(obj).items()
            if not within_reading_ease_target(value)
        ]
        if within_reading_ease_target(ease) and not too_hard:
            return format_html(
                "{}. {}",
                reading_ease_label(ease),
                _("Within the target of %(target)d or higher.") % {"target": READING_EASE_TARGET},
            )
        return format_html(
            '<strong class="app-grade-warning">{}</strong>{}',
            _(
                "Warning: reading ease %(score)s. The target is %(target)d or higher: use short "
                "sentences and everyday words, and explain each medical term."
            )
            % {"score": reading_ease_label(ease), "target": READING_EASE_TARGET},
            format_html(
                "<br>{} {}",
                _("Sections below the target:"),
                format_html_join(", ", "{} ({})", too_hard),
            )
            if too_hard
            else "",
        )


@admin.register(Condition)
class ConditionAdmin(ArticleAdmin):
    filter_horizontal = ("treatments", "related_conditions")
    extra_fieldsets = (
        (_("Where it hurts"), {"fields": ("body_areas",)}),
        (_("Links"), {"fields": ("treatments", "related_conditions")}),
        (
            _("For search engines"),
            {
                "classes": ("collapse",),
                "fields": ("anatomy_label", "symptom_labels", "test_labels"),
            },
        ),
    )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "body_areas":  # seven fixed areas: boxes to tick
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


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


@admin.register(PlainerWord)
class PlainerWordAdmin(admin.ModelAdmin):
    """The words the sentence report suggests replacing, and with what."""

    list_display = ("word", "suggestion", "language")
    list_filter = ("language",)
    search_fields = ("word", "suggestion")
    fields = ("word", "suggestion", "language")
