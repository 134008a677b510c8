"""The urgent advice: one reviewed source for when to call 911 or go to the ER."""

from django.utils.translation import gettext_lazy as _

from clinic_site.core.language import ENGLISH, reverse_in

from .article import (
    Article,
    ArticleQuerySet,
    article_history,
    html_field,
    pages_manager,
    section_field,
)


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
    version stays live while an editor revises it (a revision, conditions/revisions.py) or
    drafts a new version as a row of its own; a medical reviewer publishes either, and the
    newest published version is the one shown.
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

    objects = pages_manager(UrgentAdviceQuerySet)
    with_revisions = UrgentAdviceQuerySet.as_manager()

    class Meta(Article.Meta):
        verbose_name = _("urgent advice")
        verbose_name_plural = _("urgent advice")
        permissions = [
            ("publish_urgentadvice", _("Can publish urgent advice and sign off reviews"))
        ]

    def get_absolute_url(self):
        return reverse_in(self.language, "pages:urgent")
