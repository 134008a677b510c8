"""Treatments, told whole: what it is, before, the day, afterwards, risks and how well it works."""

from django.utils.translation import gettext_lazy as _

from clinic_site.core.language import reverse_in

from .article import Article, article_history, html_field, section_field


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
