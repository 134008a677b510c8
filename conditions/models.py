"""Patient articles: conditions, the treatments for them, and general guides.

All three are "articles": a title, a summary and a fixed, predictable run of Markdown sections
(the structure patients learn to expect from page to page), rendered to sanitized HTML when
saved. The general guide ("Treating back and neck pain without surgery") is not about one
condition, so it is a sibling model with its own sections rather than a Condition with most
sections left empty: each model's sections say what a reader finds there.
"""

import datetime
import posixpath
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.templatetags.static import static
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinic_site.language import ENGLISH, SPANISH, language_field, reverse_in
from clinic_site.pagecache.models import PublicContent
from clinic_site.text import nonblank_lines

from .markdown import HELP_TEXT as MARKDOWN_HELP
from .markdown import render_markdown
from .readability import reading_ease, reading_grade


class SectionHeadings:
    """`Model.SECTIONS`: (field name, heading) pairs. The heading is the field's verbose name,
    so each heading is written once."""

    def __get__(self, instance, owner):
        return tuple(
            (name, capfirst(owner._meta.get_field(name).verbose_name))
            for name in owner.SECTION_NAMES
        )


def published_q():
    """The publication rule as a filter: marked published, and its publish time has come.
    Search applies it to its index rows, which copy these two fields of each article."""
    return Q(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: marked published, and its publish time has come.

        Visibility follows the publish time, so a scheduled article appears by itself when its
        time comes, with no job to run.
        """
        return self.filter(published_q())

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

    def translation_out_of_date(self):
        """Translations whose English version changed after they were last brought in line
        (or that were never marked in line)."""
        return self.filter(translation_of__isnull=False).filter(
            Q(translation_synced_at__isnull=True)
            | Q(translation_of__content_changed_at__gt=F("translation_synced_at"))
        )


class ConditionQuerySet(ArticleQuerySet):
    def in_area(self, code):
        """Conditions that hurt in one body area ("Where does it hurt?")."""
        return self.filter(body_areas=code)


class Article(PublicContent):
    """What conditions, treatments, guides and the urgent advice share. Subclasses list their
    SECTIONS."""

    publish_time_field = "publish_at"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

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
        limit_choices_to={"language": "en"},
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    # What `load_content` last wrote (conditions/content.py): a page whose text and links no
    # longer match it has been edited by staff, and the command leaves it alone.
    loaded_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    # Sources and images hang off any kind of article (see ArticleAttachment).
    references = GenericRelation("conditions.Reference")
    images = GenericRelation("conditions.ArticleImage")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"],
                name="%(app_label)s_%(class)s_unique_slug",
                violation_error_code="slug_taken",
                violation_error_message=_(
                    "Another page in this language already uses this web address."
                ),
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

    def text_changed(self):
        if self.pk is None:
            return True
        saved = type(self).objects.filter(pk=self.pk).values(*self.text_fields()).first()
        return saved is None or any(saved[f] != getattr(self, f) for f in self.text_fields())

    def save(self, *args, **kwargs):
        if self.text_changed():
            self.content_changed_at = timezone.now()
        for name, _heading in self.SECTIONS:
            setattr(self, f"{name}_html", render_markdown(getattr(self, name)))
        if self.language == SPANISH:
            self.reading_ease_score = reading_ease(self.section_text())
            self.reading_grade_score = None
        else:
            self.reading_grade_score = reading_grade(self.section_text())
            self.reading_ease_score = None
        if self.last_reviewed_on and not self.next_review_due:
            self.next_review_due = self.last_reviewed_on + datetime.timedelta(
                days=settings.REVIEW_INTERVAL_DAYS
            )
        super().save(*args, **kwargs)

    def also_called_terms(self):
        return nonblank_lines(self.also_called)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    def sections(self):
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


def article_history(**kwargs):
    """An article's history. The reason for a change may be long: publishing despite
    checklist warnings lists each one (conditions/checklist.py)."""
    return HistoricalRecords(history_change_reason_field=models.TextField(null=True), **kwargs)


class Treatment(Article):
    """A treatment, told whole: what it is, how to get ready, the day, afterwards, its risks,
    how well it works, and what to ask. Each part is its own field, so editors see each one
    and no page can leave one out unnoticed (the publish checklist names empty ones). The
    emergency signs after a procedure are not written here: every treatment page shows the
    urgent advice's `after_procedure` section, one reviewed text for all of them."""

    SECTION_NAMES = (
        "what_it_is",
        "before",
        "on_the_day",
        "afterwards",
        "risks",
        "how_well_it_works",
        "questions",
    )

    what_it_is = section_field(
        _("what it is and what it is used for"),
        _("What the treatment is, how it helps, and which conditions it is used for."),
    )
    what_it_is_html = html_field()
    before = section_field(
        _("before the treatment"),
        _(
            "Blood thinners (never stop one alone), diabetes, sedation and fasting, a driver "
            "home, and what to do if you are sick that day."
        ),
    )
    before_html = html_field()
    on_the_day = section_field(
        _("what happens on the day"), _("The visit step by step, from arrival to going home.")
    )
    on_the_day_html = html_field()
    afterwards = section_field(
        _("afterwards"),
        _(
            "What is normal, when to call the clinic, and what to do when it is closed. The "
            "emergency signs after a procedure are shown below this section, from the urgent "
            "advice."
        ),
    )
    afterwards_html = html_field()
    risks = section_field(_("risks"), _("Common and rare risks, in plain words."))
    risks_html = html_field()
    how_well_it_works = section_field(
        _("how well it works"), _("What the research shows, honestly, with its sources.")
    )
    how_well_it_works_html = html_field()
    questions = section_field(
        _("questions to ask"), _("Questions patients may want to ask before they decide.")
    )
    questions_html = html_field()

    history = article_history()

    class Meta(Article.Meta):
        verbose_name = _("treatment")
        verbose_name_plural = _("treatments")
        permissions = [("publish_treatment", _("Can publish treatments and sign off reviews"))]

    def get_absolute_url(self):
        return reverse_in(self.language, "conditions:treatment", kwargs={"slug": self.slug})


class BodyAreaQuerySet(models.QuerySet):
    def with_counts(self, conditions):
        """The areas where at least one of `conditions` hurts, in the fixed order, each with
        `count`: how many of them. One query."""
        areas = self.annotate(count=Count("conditions", filter=Q(conditions__in=conditions)))
        return sorted((a for a in areas if a.count), key=lambda a: a.position)


class BodyArea(models.Model):
    """Where it hurts: the fixed list "Where does it hurt?" offers, each a filter of the
    conditions index (`/conditions/?area=low-back`). The codes and their order are fixed by the
    site's design (rows made by the migration, labels translated here), so the filter's address
    never changes with an editor's wording."""

    class Code(models.TextChoices):
        LOW_BACK = "low-back", _("Low back")
        BUTTOCK_HIP = "buttock-hip", _("Buttock and hip")
        LEG = "leg", _("Leg")
        NECK = "neck", _("Neck")
        ARM_HAND = "arm-hand", _("Arm and hand")
        KNEE = "knee", _("Knee")
        FEET = "feet", _("Feet")

    code = models.SlugField(_("code"), max_length=20, primary_key=True, choices=Code.choices)

    objects = BodyAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("body area")
        verbose_name_plural = _("body areas")

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        return self.Code(self.code).label

    @property
    def position(self):
        return list(self.Code).index(self.Code(self.code))


class Condition(Article):
    SECTION_NAMES = (
        "overview",
        "anatomy",
        "symptoms",
        "causes",
        "diagnosis",
        "treatment_options",
        "when_to_get_help",
    )

    overview = section_field(_("overview"), _("What the condition is, in a few sentences."))
    overview_html = html_field()
    anatomy = section_field(_("where it is"), _("The part of the body involved."))
    anatomy_html = html_field()
    symptoms = section_field(_("symptoms"), _("What patients feel and notice."))
    symptoms_html = html_field()
    causes = section_field(_("causes"), _("Why it happens."))
    causes_html = html_field()
    diagnosis = section_field(_("how it is diagnosed"), _("Exams, tests and imaging."))
    diagnosis_html = html_field()
    treatment_options = section_field(
        _("treatment options"),
        _("The options in plain words. Link each treatment below so it gets its own page."),
    )
    treatment_options_html = html_field()
    when_to_get_help = section_field(
        _("when to get help"), _("When to call the clinic, a doctor or 911.")
    )
    when_to_get_help_html = html_field()

    # Short labels for search engines' medical structured data (schema.org MedicalCondition).
    anatomy_label = models.CharField(
        _("body part (short)"),
        max_length=200,
        blank=True,
        help_text=_("For search engines, e.g. “Cluneal nerves”."),
    )
    symptom_labels = models.TextField(
        _("symptoms (short list)"),
        max_length=2000,
        blank=True,
        help_text=_("For search engines: one symptom per line, e.g. “Low back pain”."),
    )
    test_labels = models.TextField(
        _("tests (short list)"),
        max_length=2000,
        blank=True,
        help_text=_("For search engines: one test per line, e.g. “Ultrasound”."),
    )

    treatments = models.ManyToManyField(
        Treatment,
        blank=True,
        related_name="conditions",
        verbose_name=_("treatments"),
        help_text=_("Treatments used for this condition. Each one links to its own page."),
    )
    related_conditions = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=True,
        verbose_name=_("related conditions"),
        help_text=_("Conditions a reader may want to compare. Links go both ways."),
    )

    body_areas = models.ManyToManyField(
        BodyArea,
        blank=True,
        related_name="conditions",
        verbose_name=_("where it hurts"),
        help_text=_("The body areas a reader may pick under “Where does it hurt?”."),
    )

    history = article_history(m2m_fields=[treatments, body_areas])

    objects = ConditionQuerySet.as_manager()

    class Meta(Article.Meta):
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        permissions = [("publish_condition", _("Can publish conditions and sign off reviews"))]

    def get_absolute_url(self):
        return reverse_in(self.language, "conditions:detail", kwargs={"slug": self.slug})

    def symptom_list(self):
        return nonblank_lines(self.symptom_labels)

    def test_list(self):
        return nonblank_lines(self.test_labels)


class Guide(Article):
    SECTION_NAMES = (
        "overview",
        "self_care",
        "finding_the_cause",
        "options",
        "surgery",
        "when_to_get_help",
    )

    overview = section_field(_("overview"), _("What this guide covers."))
    overview_html = html_field()
    self_care = section_field(_("what you can do yourself"), _("Self-care and staying active."))
    self_care_html = html_field()
    finding_the_cause = section_field(
        _("how a pain clinic finds the cause"), _("Exams, tests and diagnostic injections.")
    )
    finding_the_cause_html = html_field()
    options = section_field(_("treatments without surgery"), _("The non-surgical options."))
    options_html = html_field()
    surgery = section_field(_("when surgery is considered"), _("When surgery may be right."))
    surgery_html = html_field()
    when_to_get_help = section_field(
        _("when to get help"), _("When to call the clinic, a doctor or 911.")
    )
    when_to_get_help_html = html_field()

    treatments = models.ManyToManyField(
        Treatment, blank=True, related_name="guides", verbose_name=_("treatments")
    )
    related_conditions = models.ManyToManyField(
        Condition, blank=True, related_name="guides", verbose_name=_("related conditions")
    )

    history = article_history()

    class Meta(Article.Meta):
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        permissions = [("publish_guide", _("Can publish guides and sign off reviews"))]

    def get_absolute_url(self):
        return reverse_in(self.language, "conditions:guide", kwargs={"slug": self.slug})


class UrgentAdviceQuerySet(ArticleQuerySet):
    def newest_first(self):
        """The version that went live last first: of the published ones, the one patients see
        (search uses this rule too)."""
        return self.order_by("-publish_at", "-pk")

    def current(self, language=ENGLISH):
        """The urgent advice patients see in `language`: the published version that went live
        last. Until one is published in that language, the English one (the page marks it
        lang="en"): patients must always see the warning signs."""
        newest = self.published().newest_first()
        advice = newest.filter(language=language).first()
        if advice is None and language != ENGLISH:
            advice = newest.filter(language=ENGLISH).first()
        return advice


class UrgentAdvice(Article):
    """The signs that need 911, a same-day doctor or a call to the clinic: the one source for
    the urgent-help page and the emergency card on every back-pain article.

    Reviewed content like any article (draft and publish, review dates, history). The live
    version stays live while an editor drafts the next one as a new row; a medical reviewer
    publishes it, and the newest published version is the one shown.
    """

    SECTION_NAMES = (
        "emergency",
        "same_day",
        "clinic",
        "after_procedure",
    )

    emergency = section_field(
        _("call 911 or go to the emergency department"),
        _("Every sign that needs 911, as a list. The card on article pages shows all of it."),
    )
    emergency_html = html_field()
    same_day = section_field(
        _("call your doctor the same day"), _("Signs that need a doctor today or soon.")
    )
    same_day_html = html_field()
    clinic = section_field(_("call the clinic"), _("When to call the clinic instead."))
    clinic_html = html_field()
    after_procedure = section_field(
        _("after a procedure: go to the emergency department or call 911"),
        _("The signs after any procedure that need emergency care. Shown on every treatment page."),
    )
    after_procedure_html = html_field()

    history = article_history()

    objects = UrgentAdviceQuerySet.as_manager()

    class Meta(Article.Meta):
        verbose_name = _("urgent advice")
        verbose_name_plural = _("urgent advice")
        permissions = [
            ("publish_urgentadvice", _("Can publish urgent advice and sign off reviews"))
        ]

    def get_absolute_url(self):
        return reverse_in(self.language, "pages:urgent")


# Every kind of article, in the order staff see them listed.
ARTICLE_MODELS = (Condition, Treatment, Guide, UrgentAdvice)


def delete_files_on_commit(names):
    """Remove files from storage once the transaction that stopped using them has committed
    (a rollback then keeps them, and the rows that point at them)."""
    from django.core.files.storage import default_storage
    from django.db import transaction

    def delete():
        for name in names:
            default_storage.delete(name)

    if names:
        transaction.on_commit(delete)


# ARTICLE ATTACHMENTS: sources and images
# ------------------------------------------------------------------------------
# Why a generic relation rather than one foreign key per article model: sources and images
# belong to conditions, treatments and guides alike. One table each, one admin inline and one
# template serve all three, and a new kind of article needs no schema change. GenericRelation on
# Article gives `article.references`, prefetching and deletion along with the article; the price
# is no database-level foreign key to the article row, which Django's cascade makes up for.


def article_kinds():
    """The content types an attachment may belong to: every kind of article (a literal Q, so
    migrations need not import this module)."""
    return Q(app_label="conditions", model__in=[m._meta.model_name for m in ARTICLE_MODELS])


class ArticleAttachment(PublicContent):
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        limit_choices_to=article_kinds(),
        verbose_name=_("kind of article"),
    )
    object_id = models.PositiveBigIntegerField(_("article id"))
    article = GenericForeignKey("content_type", "object_id")
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first.")
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="%(app_label)s_%(class)s_art")
        ]


def is_web_link(url: str) -> bool:
    """True for an http(s) address a patient can safely follow (never javascript: or data:)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


class Reference(ArticleAttachment):
    """A source the article relies on, listed at its end as a numbered list."""

    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_("The title of the paper, guideline or page, with its authors if useful."),
    )
    publisher = models.CharField(
        _("publisher"),
        max_length=200,
        blank=True,
        help_text=_("The journal or organisation, for example “J Pain Res” or “NICE”."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    link = models.URLField(
        _("link"),
        max_length=500,
        blank=True,
        help_text=_("Optional. A web address starting with https://, e.g. a doi.org link."),
    )

    history = HistoricalRecords()

    class Meta(ArticleAttachment.Meta):
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title

    @property
    def safe_link(self):
        """The link, only if it is a plain web address (defence in depth beyond the form)."""
        return self.link if self.link and is_web_link(self.link) else ""


class ArticleImage(ArticleAttachment):
    """An image or diagram shown after one of the article's sections.

    Uploads are raster images only (JPEG, PNG, WebP, GIF), checked by Pillow. SVG is refused as
    an upload: an SVG file can carry script, and a file in media storage is served from our own
    address. The one SVG the site has, the seeded cluneal nerve diagram, is part of the code
    (static/img/diagrams/), reviewed like code, and referred to by `static_file`.

    The smaller copies are made here, once, when the image is saved, rather than by
    sorl-thumbnail or easy-thumbnails: both make copies when a page first asks for them (a
    reader's request would wait on Pillow, and a cached page would depend on a second store),
    and easy-thumbnails adds tables of its own. Three fixed widths need neither. Old files are
    removed on commit by signals.py rather than django-cleanup, which would not know the copies.
    """

    RENDITION_WIDTHS = (320, 640, 960)
    SIZES = "(min-width: 48em) 720px, 100vw"

    image = models.ImageField(
        _("image file"),
        upload_to="articles/%Y/%m/",
        width_field="width",
        height_field="height",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp", "gif"])],
        help_text=_("A photo or diagram: JPEG, PNG or WebP, ideally 1200 pixels wide or more."),
    )
    static_file = models.CharField(
        _("file shipped with the site"),
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("A diagram that is part of the site's code (set by developers)."),
    )
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    alt = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_(
            "Required. What the image shows, for people who cannot see it, in one or two "
            "sentences. Do not start with “Image of”."
        ),
    )
    caption = models.CharField(
        _("caption"),
        max_length=300,
        blank=True,
        help_text=_("Optional. Shown under the image."),
    )
    long_description = models.TextField(
        _("full description"),
        max_length=4000,
        blank=True,
        help_text=_(
            "Optional. For a diagram: everything it shows, in words. Readers can open it "
            "under the image."
        ),
    )
    section = models.CharField(
        _("after section"),
        max_length=40,
        help_text=_("The image appears at the end of this section."),
    )
    renditions = models.JSONField(_("smaller copies"), default=list, editable=False)

    class Meta(ArticleAttachment.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt=""), name="conditions_articleimage_alt_required"
            ),
            models.CheckConstraint(
                condition=(Q(image="") & ~Q(static_file="")) | (~Q(image="") & Q(static_file="")),
                name="conditions_articleimage_one_source",
            ),
        ]

    def __str__(self):
        return self.alt

    def save(self, *args, **kwargs):
        new_upload = bool(self.image) and not self.image._committed
        replaced = []
        if new_upload and self.pk:
            old = type(self).objects.filter(pk=self.pk).first()
            replaced = old.stored_files() if old else []
        if new_upload:
            self.upright_upload()
        super().save(*args, **kwargs)
        if new_upload:
            self.renditions = self.make_renditions()
            super().save(update_fields=["renditions"])
            delete_files_on_commit(replaced)

    def clean(self):
        super().clean()
        if not self.alt.strip():
            raise ValidationError({"alt": _("Describe the image for people who cannot see it.")})
        if not self.image and not self.static_file:
            raise ValidationError({"image": _("Choose an image file.")})
        model = self.content_type.model_class() if self.content_type_id else None
        if model is not None and self.section not in {n for n, _h in model.SECTIONS}:
            raise ValidationError({"section": _("Choose one of the article's sections.")})

    @property
    def url(self):
        return static(self.static_file) if self.static_file else self.image.url

    @property
    def srcset(self):
        """Every stored width, for the browser to pick from ('' when there is only one)."""
        if not self.renditions:
            return ""
        storage = self.image.storage
        parts = [f"{storage.url(name)} {width}w" for width, name in self.renditions]
        parts.append(f"{self.image.url} {self.width}w")
        return ", ".join(parts)

    def stored_files(self):
        """The names of every file this image keeps in storage (the upload and its copies)."""
        if not self.image:
            return []
        return [self.image.name, *(name for _width, name in self.renditions)]

    def upright_upload(self):
        """Turn a phone photo the way it was taken. Phones store it sideways with an
        orientation tag; resized copies lose the tag, and width and height must match what
        readers see."""
        from PIL import Image, ImageOps

        upload = self.image.file
        upload.seek(0)
        original = Image.open(upload)
        if original.getexif().get(0x0112, 1) == 1:  # Orientation: already upright
            upload.seek(0)
            return
        image_format = original.format
        upright = ImageOps.exif_transpose(original)
        buffer = BytesIO()
        upright.save(buffer, format=image_format)
        name = posixpath.basename(self.image.name)
        self.image = ContentFile(buffer.getvalue(), name=name)

    def make_renditions(self):
        """Save narrower copies of an uploaded image through the storage API: [[width, name]]."""
        from PIL import Image

        storage = self.image.storage
        root, ext = posixpath.splitext(self.image.name)
        renditions = []
        with storage.open(self.image.name, "rb") as source:
            original = Image.open(source)
            original.load()
        image_format = original.format or "PNG"
        for width in self.RENDITION_WIDTHS:
            if width >= original.width:
                break
            height = round(original.height * width / original.width)
            copy = original.resize((width, height), Image.Resampling.LANCZOS)
            if image_format == "JPEG" and copy.mode not in ("RGB", "L"):
                copy = copy.convert("RGB")
            buffer = BytesIO()
            copy.save(buffer, format=image_format)
            name = storage.save(f"{root}-{width}w{ext}", ContentFile(buffer.getvalue()))
            renditions.append([width, name])
        return renditions


# WRITING HELP
# ------------------------------------------------------------------------------


class PlainerWordQuerySet(models.QuerySet):
    def suggestions(self, language):
        """{word or phrase, case-folded: what to write instead} for one language."""
        return {
            " ".join(word.split()).casefold(): suggestion
            for word, suggestion in self.filter(language=language).values_list("word", "suggestion")
        }


class PlainerWord(models.Model):
    """A word or phrase editors should avoid, with a plainer one to use instead.

    Staff-only help for writing (the sentence report beside each section); never shown on a
    public page, so not PublicContent.
    """

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        SPANISH = "es", _("Spanish")

    word = models.CharField(
        _("hard word or phrase"),
        max_length=100,
        help_text=_(
            "As you would write it, e.g. “utilize” or “in order to”. Plurals and “-ed” forms "
            "are found too (“anesthetics”, “utilized”)."
        ),
    )
    suggestion = models.CharField(
        _("say instead"),
        max_length=200,
        help_text=_("The plainer word or words, e.g. “use” or “numbing medicine”."),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )

    objects = PlainerWordQuerySet.as_manager()

    class Meta:
        verbose_name = _("plainer word")
        verbose_name_plural = _("plainer words")
        ordering = ["language", "word"]
        constraints = [
            models.UniqueConstraint(
                Lower("word"),
                "language",
                name="conditions_plainerword_unique_word",
                violation_error_message=_("This word is already on the list for this language."),
            ),
            models.CheckConstraint(
                condition=~Q(word="") & ~Q(suggestion=""), name="conditions_plainerword_filled"
            ),
        ]

    def __str__(self):
        return f"{self.word} → {self.suggestion}"

    def clean(self):
        super().clean()
        self.word = " ".join(self.word.split())
        self.suggestion = " ".join(self.suggestion.split())
