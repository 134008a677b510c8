"""What every kind of article shares: a title, a summary, Markdown sections rendered to
sanitized HTML on save, a language, a review date, publishing and history."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinic_site.core import language
from clinic_site.core.language import ENGLISH, language_field
from clinic_site.core.pagecache.models import PublicContent
from clinic_site.core.text import nonblank_lines

from ..markdown import HELP_TEXT as MARKDOWN_HELP
from ..markdown import render_markdown
from ..readability import rules_for, verdict


class SectionHeadings:
    """`Model.SECTIONS`: (field name, heading) pairs. The heading is the field's verbose name,
    so each heading is written once."""

    def __get__(self, instance, owner):
        return tuple(
            (name, capfirst(owner._meta.get_field(name).verbose_name))
            for name in owner.SECTION_NAMES
        )


def staff_member(verbose_name):
    """A staff member a row records (who wrote, published, asked for review): set by the
    workflow, never typed, kept as empty if the account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def published_q(now=None):
    """The publication rule as a filter: marked published, and its publish time has come
    (`now`: a time or an expression; this moment by default). Search applies it to its index
    rows, which copy these two fields of each article."""
    now = timezone.now() if now is None else now
    return Q(status=Article.Status.PUBLISHED, publish_at__lte=now)


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What the public may see: marked published, and its publish time has come.

        Visibility follows the publish time, so a scheduled article appears by itself when its
        time comes, with no job to run.
        """
        return self.filter(published_q(now))

    def review_overdue(self, today=None):
        """Reviewed once, and the next review date has passed."""
        today = today or timezone.localdate()
        return self.filter(next_review_due__lt=today)

    def review_due_by(self, day):
        """Never reviewed, or the next review is due on or before `day`."""
        return self.filter(Q(next_review_due__lte=day) | Q(last_reviewed_on__isnull=True))

    def never_reviewed(self):
        return self.filter(last_reviewed_on__isnull=True)

    def in_language(self, language):
        """Rows written in `language` ("en" or "es"): each language's articles are their own."""
        return self.filter(language=language)

    def links(self):
        """Published in the reader's language, A to Z, with just what a link and its summary
        need: the lists, the home page and an article's related pages."""
        return (
            self.published()
            .in_language(language.current())
            .only("title", "slug", "summary", "status", "publish_at", "language")
            .order_by(Lower("title"))
        )

    def translation_out_of_date(self):
        """Translations whose English version changed after they were last brought in line
        (or that were never marked in line)."""
        return self.filter(translation_of__isnull=False).filter(
            Q(translation_synced_at__isnull=True)
            | Q(translation_of__content_changed_at__gt=F("translation_synced_at"))
        )


class PagesManager(models.Manager):
    """The default manager: pages only, never the revisions waiting to replace a live page's
    text. Every query not written for revisions (public lists and pages, links, sitemaps,
    load_content, related managers) so cannot see one; `Model.with_revisions` is the
    revision-aware way in (the admin, revisions.py)."""

    def get_queryset(self):
        return super().get_queryset().filter(revision_of__isnull=True)


def pages_manager(queryset_class):
    return PagesManager.from_queryset(queryset_class)()


class Article(PublicContent):
    """What conditions, treatments, guides and the urgent advice share. Subclasses list their
    SECTIONS."""

    publish_time_field = "publish_at"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        # A revision a medical reviewer published for a set time: revisions.py applies it to
        # the live page then. Never on a page itself, and never public.
        SCHEDULED = "scheduled", _("Scheduled revision")

    # The Markdown section fields, in page order. Each has a matching `<name>_html` field.
    SECTION_NAMES: tuple[str, ...] = ()
    SECTIONS = SectionHeadings()

    # Each language's version is its own row (its own slug, status, publish time, medical
    # review and history), linked to the English original by `translation_of`, the way
    # MedlinePlus en Español is its own edition. Rows rather than translated columns
    # (django-modeltranslation) or translation tables (django-parler) because a Spanish page is
    # reviewed, published and kept in history on its own, and the draft/publish gate, the
    # review report and simple_history already work per row.
    language = language_field()
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        limit_choices_to={"language": ENGLISH},
        help_text=_("For a Spanish page: the English page it is a version of."),
    )
    # When the text a reader sees (title, summary, sections) last changed: set by save().
    content_changed_at = models.DateTimeField(
        _("text last changed"), default=timezone.now, editable=False
    )
    # For a translation: when someone last marked it in line with its English version. It is
    # out of date once the English text changes after this.
    translation_synced_at = models.DateTimeField(
        _("in line with the English version since"), null=True, blank=True, editable=False
    )

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("web address"),
        max_length=120,
        help_text=_("The last part of the page's address. Lowercase words joined by hyphens."),
    )
    summary = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_(
            "One short paragraph, plain text. Shown in lists and search results, and used as "
            "the page description for search engines."
        ),
    )
    # Other names for the page's subject, shown under the title as MedlinePlus does, and
    # weighed like the title by site search (search/).
    also_called = models.TextField(
        _("also called"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Other names for this subject, one per line, e.g. “gluteal cutaneous nerve "
            "entrapment”. Shown under the title, and found by the site search."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_(
            "Drafts are never shown to the public. A published page appears once its publish "
            "time has come."
        ),
    )
    publish_at = models.DateTimeField(
        _("publish time"),
        default=timezone.now,
        db_index=True,
        help_text=_(
            "When the page goes live (clinic time). Set a future time to schedule it; it then "
            "appears by itself."
        ),
    )
    reviewed_by = models.CharField(
        _("medically reviewed by"),
        max_length=100,
        blank=True,
        help_text=_("The clinician's name, as it should appear on the page."),
    )
    reviewer_credentials = models.CharField(
        _("reviewer credentials"),
        max_length=100,
        blank=True,
        help_text=_("For example: MD, pain medicine."),
    )
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    next_review_due = models.DateField(
        _("next review due"),
        null=True,
        blank=True,
        help_text=_("Left empty, it is set one year after the last review."),
    )
    # Scored once when saved (scoring takes a moment), so the admin list need not rescore. Each
    # row is scored in its own language's measure; the other field stays empty.
    reading_grade_score = models.FloatField(_("reading grade"), null=True, editable=False)
    reading_ease_score = models.FloatField(
        _("reading ease (Fernández-Huerta)"), null=True, editable=False
    )
    # How many parts (the summary, each section) miss the target although the page as a whole
    # may not: the list says so too, as the change page and the checklist do.
    reading_parts_outside = models.PositiveSmallIntegerField(
        _("parts outside the reading target"), default=0, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    # What `load_content` last wrote (conditions/content.py): a page whose text and links no
    # longer match it has been edited by staff, and the command leaves it alone.
    loaded_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    # Revisions (conditions/revisions.py): the next text of a live page, written and reviewed
    # in a row of its own while the live row stays exactly as published. See revisions.py for
    # why a row rather than a serialized copy.
    revision_of = models.ForeignKey(
        "self",
        verbose_name=_("revision of"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Who wrote the text this row holds (the author of a revision, carried onto the live row
    # when it is published), beside the history's own user (who saved: for a published
    # revision, the reviewer who published it).
    written_by = staff_member(_("written by"))
    # Who published the text this row holds (a medical reviewer), stamped at publish.
    published_by = staff_member(_("published by"))
    review_requested_by = staff_member(_("review asked for by"))
    review_requested_at = models.DateTimeField(
        _("review asked for at"), null=True, blank=True, editable=False
    )
    review_note = models.TextField(
        _("note from the medical reviewer"),
        max_length=2000,
        blank=True,
        help_text=_("Why the page was sent back, and what to change. Emailed to its author."),
    )

    # Sources and images hang off any kind of article (see ArticleAttachment).
    references = GenericRelation("conditions.Reference")
    images = GenericRelation("conditions.ArticleImage")

    objects = pages_manager(ArticleQuerySet)
    with_revisions = ArticleQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"],
                condition=Q(revision_of__isnull=True),
                name="%(app_label)s_%(class)s_unique_slug",
                violation_error_code="slug_taken",
                violation_error_message=_(
                    "Another page in this language already uses this web address."
                ),
            ),
            # One revision per live page at a time: its authors share it.
            models.UniqueConstraint(
                fields=["revision_of"], name="%(app_label)s_%(class)s_one_revision"
            ),
            # A revision is never public: it is published by copying it onto its live page.
            models.CheckConstraint(
                condition=Q(
                    revision_of__isnull=True, status__in=["draft", "in_review", "published"]
                )
                | Q(revision_of__isnull=False, status__in=["draft", "in_review", "scheduled"]),
                name="%(app_label)s_%(class)s_revision_never_public",
            ),
        ]

    def __str__(self):
        return self.title

    def validate_constraints(self, exclude=None):
        """A web address already taken is the slug field's error, where the editor types it."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            taken = [e for e in general if getattr(e, "code", None) == "slug_taken"]
            if taken:
                errors.setdefault("slug", []).extend(taken)
            if rest := [e for e in general if e not in taken]:
                errors[NON_FIELD_ERRORS] = rest
            raise ValidationError(errors) from None

    def text_fields(self):
        """The fields whose text a reader sees: a change to any makes translations out of date."""
        return ["title", "summary", *self.SECTION_NAMES]

    @property
    def is_revision(self):
        return self.revision_of_id is not None

    def text_changed(self):
        if self.pk is None:
            return True
        saved = type(self).with_revisions.filter(pk=self.pk).values(*self.text_fields()).first()
        return saved is None or any(saved[f] != getattr(self, f) for f in self.text_fields())

    def save(self, *args, **kwargs):
        if self.text_changed():
            self.content_changed_at = timezone.now()
        for name, _heading in self.SECTIONS:
            setattr(self, f"{name}_html", render_markdown(getattr(self, name)))
        result = verdict(self)
        score = result.whole.value if result.whole else 0.0
        self.reading_ease_score = score if result.rules.higher_is_easier else None
        self.reading_grade_score = None if result.rules.higher_is_easier else score
        self.reading_parts_outside = len(result.outside)
        if self.last_reviewed_on and not self.next_review_due:
            self.next_review_due = self.last_reviewed_on + datetime.timedelta(
                days=settings.REVIEW_INTERVAL_DAYS
            )
        super().save(*args, **kwargs)

    @property
    def reading_score(self):
        """The readability stored at the last save, in the page's own measure (readability.py)."""
        if rules_for(self.language).higher_is_easier:
            return self.reading_ease_score
        return self.reading_grade_score

    def also_called_terms(self):
        return nonblank_lines(self.also_called)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    def written_sections(self):
        """The non-empty sections, in order, as dicts for the template."""
        return [
            {"id": name.replace("_", "-"), "name": name, "heading": heading, "html": html}
            for name, heading in self.SECTIONS
            if (html := getattr(self, f"{name}_html"))
        ]

    @classmethod
    def publish_permission(cls):
        """The permission that lets a user publish this kind of article and sign off reviews."""
        return f"{cls._meta.app_label}.publish_{cls._meta.model_name}"

    def section_text(self):
        """All the Markdown a reader sees, for readability scoring."""
        parts = [self.summary]
        parts += [getattr(self, name) for name, _heading in self.SECTIONS]
        return "\n\n".join(p for p in parts if p)


SECTION_MAX_LENGTH = 20000


def section_field(verbose_name, help_text):
    return models.TextField(
        verbose_name,
        blank=True,
        max_length=SECTION_MAX_LENGTH,
        help_text=format_lazy("{} {}", help_text, MARKDOWN_HELP),
    )


def html_field():
    return models.TextField(blank=True, editable=False)


class HistoricalArticle(models.Model):
    """What each version in an article's history keeps beside the row's own fields: every
    relation a medical reviewer signs off (links to other articles, where it hurts, sources,
    images) as they were then, for the history to show and a revert to restore
    (conditions/history.py)."""

    relations = models.JSONField(_("links, sources and images"), default=dict, blank=True)

    class Meta:
        abstract = True


def article_history(**kwargs):
    """An article's history. The reason for a change may be long: publishing despite
    checklist warnings lists each one (conditions/checklist.py)."""
    return HistoricalRecords(
        history_change_reason_field=models.TextField(null=True),
        bases=[HistoricalArticle],
        **kwargs,
    )
