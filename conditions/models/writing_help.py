"""Writing help: plainer words the editor suggests for medical terms."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from clinic_site.core.language import language_field

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
    language = language_field()

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
