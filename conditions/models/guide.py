"""Guides: general advice that is not about one condition (its own run of sections)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic_site.core.language import reverse_in

from .article import Article, article_history, html_field, section_field
from .condition import Condition
from .treatment import Treatment


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
