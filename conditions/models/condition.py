"""Conditions and the body areas "Where does it hurt?" groups them by."""

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from clinic_site.core.language import reverse_in
from clinic_site.core.text import nonblank_lines

from .article import (
    Article,
    ArticleQuerySet,
    article_history,
    html_field,
    pages_manager,
    section_field,
)
from .treatment import Treatment


class ConditionQuerySet(ArticleQuerySet):
    def in_area(self, code):
        """Conditions that hurt in one body area ("Where does it hurt?")."""
        return self.filter(body_areas=code)


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

    objects = pages_manager(ConditionQuerySet)
    with_revisions = ConditionQuerySet.as_manager()

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
