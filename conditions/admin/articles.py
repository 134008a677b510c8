"""The admins of the four kinds of article, built from this package's mixins."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import update_change_reason

from .. import checklist, relations, revisions
from ..models import (
    Article,
    Condition,
    Guide,
    Treatment,
    UrgentAdvice,
)
from .editor import SectionEditorMixin
from .filters import ReviewFilter, TranslationFilter
from .history import HistoryMixin
from .inlines import ArticleImageInline, ReferenceInline
from .links import ArticleForm, LinkSearchMixin
from .readability import ReadabilityMixin
from .review import ReviewMixin
from .roles import PUBLISHING_FIELDS, REVIEW_FIELDS, SIGNED_OFF_FIELDS, RolesMixin
from .translations import TranslationMixin
from .workflow import WorkflowMixin

# Set at publish from the reviewer's own staff account (revisions.signature): nobody types them.
STAMPED_FIELDS = ("reviewed_by", "reviewer_credentials")
# A revision replaces its live page's text: where the page lives stays as it is.
KEPT_ON_REVISIONS = ("slug", "language", "translation_of", "status")


def short_date(value):
    """A date as the lists show it, without the time: "Dec. 6, 2026" ("6 de diciembre de 2026")."""
    return date_format(value, "DATE_FORMAT")


class ArticleAdmin(
    WorkflowMixin,
    SectionEditorMixin,
    LinkSearchMixin,
    RolesMixin,
    ReviewMixin,
    TranslationMixin,
    ReadabilityMixin,
    HistoryMixin,
    SimpleHistoryAdmin,
):
    """What the four article admins share: list columns, filters, search and the page's layout;
    each concern is a mixin in its own module of this package."""

    # Seven columns that fit a 1,280 px laptop beside the admin's menu and filters (static/css/
    # admin.css wraps the headings): status and publish date in one, the review dates in one,
    # dates without times.
    list_display = (
        "title",
        "status_and_date",
        "readability",
        "review_due",
        "updated_on",
        "language",
        "in_line",
    )
    form = ArticleForm  # links only to pages in the article's language
    list_filter = ("status", ReviewFilter, "language", TranslationFilter)
    list_select_related = ("translation_of",)
    actions = ("mark_in_line",)
    search_fields = ("title", "summary", "slug")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "publish_at"
    save_on_top = True
    inlines = (ReferenceInline, ArticleImageInline)
    history_list_display = ("status", "written_by", "published_by")
    extra_fieldsets = ()

    class Media:
        css = {"all": ("css/admin.css",)}

    @admin.display(description=_("status"), ordering="status")
    def status_and_date(self, obj):
        if obj.revision_of_id is not None:  # a revision: where its live page is
            return format_html(
                "{}<br>{} {}", obj.get_status_display(), _("revision of"), self.revision_state(obj)
            )
        if obj.status != Article.Status.PUBLISHED:
            return obj.get_status_display()
        when = short_date(timezone.localtime(obj.publish_at))
        if obj.publish_at > timezone.now():
            return format_html("{}<br>{}", _("Scheduled for"), when)
        return format_html("{}<br>{}", obj.get_status_display(), when)

    @admin.display(description=_("next review due"), ordering="next_review_due")
    def review_due(self, obj):
        if obj.next_review_due is None:
            return _("Never reviewed") if obj.last_reviewed_on is None else "-"
        due = short_date(obj.next_review_due)
        if obj.last_reviewed_on is None:
            return due
        return format_html(
            '{}<br><span class="app-quiet">{}</span>',
            due,
            _("reviewed %(date)s") % {"date": short_date(obj.last_reviewed_on)},
        )

    @admin.display(description=_("last updated"), ordering="updated_at")
    def updated_on(self, obj):
        return short_date(timezone.localtime(obj.updated_at))

    @admin.display(description=_("in line with English?"))
    def in_line(self, obj):
        return self.translation_state(obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = [
            "readability_report",
            "publish_checklist",
            "changes_since_live",
            "translation_state",
            "english_changes",
            *STAMPED_FIELDS,
        ]
        if not self.can_publish(request):
            readonly += [*SIGNED_OFF_FIELDS, "review_note"]
        if obj is not None and obj.is_revision:
            readonly += KEPT_ON_REVISIONS
        return list(dict.fromkeys(readonly))

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.is_revision:
            return {}  # the web address is the live page's
        return super().get_prepopulated_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        status = form.base_fields.get("status")
        if status is not None:  # a page's own states; "scheduled" is a revision's
            status.choices = [
                (value, label)
                for value, label in status.choices
                if value != Article.Status.SCHEDULED
            ]
        return form

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
            (_("Readability"), {"fields": ("readability_report",)}),
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
            (
                _("Medical review"),
                {
                    "fields": (*REVIEW_FIELDS, "review_note"),
                    "description": publishing_help
                    or _(
                        "Your name and credentials are stamped from your staff account when "
                        "you publish."
                    ),
                },
            ),
        )

    def save_model(self, request, obj, form, change):
        if obj.text_changed():
            obj.written_by = request.user
        if self.can_publish(request):
            # A new review date with the old due date left alone: work the due date out again.
            if "last_reviewed_on" in form.changed_data and "next_review_due" not in (
                form.changed_data
            ):
                obj.next_review_due = None
            if obj.status == Article.Status.PUBLISHED and (
                self._stored_status(obj) != Article.Status.PUBLISHED or not change
            ):
                # Published now: signed by this reviewer, dated today unless they set a date.
                revisions.stamp_review(
                    obj, request.user, keep_date="last_reviewed_on" in form.changed_data
                )
        else:
            self.keep_signed_off_fields(obj)
        super().save_model(request, obj, form, change)
        self.warn_if_hard_to_read(request, obj)

    def save_related(self, request, form, formsets, change):
        """Once sources and images are saved too, a reviewer who publishes gets the checklist's
        warnings, and the history keeps them as the reason for the change."""
        super().save_related(request, form, formsets, change)
        article = form.instance
        relations.record(article)  # the version just saved, with its links, sources, images
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
    it, an editor revises it as any live page (conditions/revisions.py), or adds a new version;
    either way the live text stays until a medical reviewer publishes."""

    inlines = (ReferenceInline,)
