"""Patient articles: conditions, the treatments for them, and general guides.

All three are "articles": a title, a summary and a fixed, predictable run of Markdown sections
(the structure patients learn to expect from page to page), rendered to sanitized HTML when
saved. The general guide ("Treating back and neck pain without surgery") is not about one
condition, so it is a sibling model with its own sections rather than a Condition with most
sections left empty: each model's sections say what a reader finds there.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .markdown import HELP_TEXT as MARKDOWN_HELP
from .markdown import render_markdown


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: marked published, and its publish time has come.

        Visibility follows the publish time, so a scheduled article appears by itself when its
        time comes, with no job to run.
        """
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def review_overdue(self, today=None):
        """Reviewed once, and the next review date has passed."""
        today = today or timezone.localdate()
        return self.filter(next_review_due__lt=today)

    def review_due_by(self, day):
        """Never reviewed, or the next review is due on or before `day`."""
        return self.filter(Q(next_review_due__lte=day) | Q(last_reviewed_on__isnull=True))

    def never_reviewed(self):
        return self.filter(last_reviewed_on__isnull=True)


class Article(models.Model):
    """What conditions, treatments and guides share. Subclasses list their SECTIONS."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    # (field name, heading on the page). Each field has a matching `<name>_html` field.
    SECTIONS: tuple[tuple[str, str], ...] = ()

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("web address"),
        max_length=120,
        unique=True,
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        for name, _heading in self.SECTIONS:
            setattr(self, f"{name}_html", render_markdown(getattr(self, name)))
        if self.last_reviewed_on and not self.next_review_due:
            self.next_review_due = self.last_reviewed_on + datetime.timedelta(
                days=settings.REVIEW_INTERVAL_DAYS
            )
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def is_review_overdue(self):
        return bool(self.next_review_due and self.next_review_due < timezone.localdate())

    def sections(self):
        """The non-empty sections, in order, as dicts for the template."""
        return [
            {"id": name.replace("_", "-"), "heading": heading, "html": html}
            for name, heading in self.SECTIONS
            if (html := getattr(self, f"{name}_html"))
        ]

    def section_text(self):
        """All the Markdown a reader sees, for readability scoring."""
        parts = [self.summary]
        parts += [getattr(self, name) for name, _heading in self.SECTIONS]
        return "\n\n".join(p for p in parts if p)


def section_field(verbose_name, help_text):
    return models.TextField(
        verbose_name,
        blank=True,
        max_length=20000,
        help_text=format_lazy("{} {}", help_text, MARKDOWN_HELP),
    )


def html_field():
    return models.TextField(blank=True, editable=False)


class Treatment(Article):
    SECTIONS = (
        ("what_it_is", _("What it is")),
        ("on_the_day", _("What happens on the day")),
        ("afterwards", _("How you may feel afterwards")),
    )

    what_it_is = section_field(_("what it is"), _("What the treatment is and how it helps."))
    what_it_is_html = html_field()
    on_the_day = section_field(
        _("what happens on the day"), _("The visit step by step, from arrival to going home.")
    )
    on_the_day_html = html_field()
    afterwards = section_field(
        _("how you may feel afterwards"), _("Recovery, common after-effects, when to call.")
    )
    afterwards_html = html_field()

    history = HistoricalRecords()

    class Meta(Article.Meta):
        verbose_name = _("treatment")
        verbose_name_plural = _("treatments")
        permissions = [("publish_treatment", _("Can publish treatments and sign off reviews"))]

    def get_absolute_url(self):
        return reverse("conditions:treatment", kwargs={"slug": self.slug})


class Condition(Article):
    SECTIONS = (
        ("overview", _("Overview")),
        ("anatomy", _("Where it is")),
        ("symptoms", _("Symptoms")),
        ("causes", _("Causes")),
        ("diagnosis", _("How it is diagnosed")),
        ("treatment_options", _("Treatment options")),
        ("when_to_get_help", _("When to get help")),
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

    history = HistoricalRecords(m2m_fields=[treatments])

    class Meta(Article.Meta):
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        permissions = [("publish_condition", _("Can publish conditions and sign off reviews"))]

    def get_absolute_url(self):
        return reverse("conditions:detail", kwargs={"slug": self.slug})

    @staticmethod
    def _lines(text):
        return [line.strip() for line in text.splitlines() if line.strip()]

    def symptom_list(self):
        return self._lines(self.symptom_labels)

    def test_list(self):
        return self._lines(self.test_labels)


class Guide(Article):
    SECTIONS = (
        ("overview", _("Overview")),
        ("self_care", _("What you can do yourself")),
        ("finding_the_cause", _("How a pain clinic finds the cause")),
        ("options", _("Treatments without surgery")),
        ("surgery", _("When surgery is considered")),
        ("when_to_get_help", _("When to get help")),
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

    history = HistoricalRecords()

    class Meta(Article.Meta):
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        permissions = [("publish_guide", _("Can publish guides and sign off reviews"))]

    def get_absolute_url(self):
        return reverse("conditions:guide", kwargs={"slug": self.slug})
