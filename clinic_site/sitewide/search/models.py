"""The search index's rows, and the words patients use that editors map to the site's terms."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from clinic_site.core.pagecache.models import PublicContent
from clinic_site.core.text import nonblank_lines


class SearchEntry(models.Model):
    """One article as search sees it: a copy kept by database triggers (triggers.py).

    Never written by Django: a trigger on each article table copies the row here on every
    insert, update and delete, however it is made (a form, `QuerySet.update()`, a raw fix), so
    the index is current with no job to run. Status and publish time are copied, not
    filtered: search checks them when it runs, so a scheduled page appears by itself.
    """

    kind = models.CharField(max_length=20)  # the article model's name, e.g. "condition"
    article_id = models.BigIntegerField()
    language = models.CharField(max_length=2)
    slug = models.CharField(max_length=120)
    title = models.CharField(max_length=120)
    also_called = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10)
    publish_at = models.DateTimeField()
    # PostgreSQL only: title and "also called" (weight A), summary (B), body (C), in the row's
    # language, set by a trigger. SQLite keeps its index in FTS5 tables instead.
    document = SearchVectorField(null=True, editable=False)

    class Meta:
        # Derived data, made by the triggers: unmanaged, so flush and the tests' serialized
        # copy of the database leave it to the triggers (its table is made by 0001_initial;
        # a schema change needs a hand-written migration).
        managed = False
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "article_id"], name="search_entry_unique")
        ]
        indexes = [models.Index(fields=["language", "status", "publish_at"], name="search_live")]

    def __str__(self):
        return self.title


class SearchVocabulary(PublicContent):
    """One language's vocabulary (vocabulary.py): the labels suggestions are drawn from, the
    words "did you mean" knows, the synonyms. Built by the task worker whenever content
    changes, never on a reader's request; public content, so writing it gives the content
    version a new value and every worker loads the new row."""

    language = models.CharField(max_length=2, primary_key=True)
    data = models.JSONField()  # what a search needs: the synonyms and the known words
    suggestions = models.JSONField()  # the labels and their words: suggestions only, loaded apart
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search vocabulary")
        verbose_name_plural = _("search vocabularies")

    def __str__(self):
        return self.language


class SynonymQuerySet(models.QuerySet):
    def add_missing(self, by_language):
        """Adds `{language: [{"words": ..., "terms": [...]}, ...]}` entries whose words are not
        listed yet (conditions/content/<language>/synonyms.yaml, through `load_content`);
        entries staff changed or removed stay as they are. Returns how many were added."""
        added = 0
        for language, entries in by_language.items():
            for entry in entries:
                words = " ".join(str(entry["words"]).split())
                if not self.filter(language=language, words__iexact=words).exists():
                    terms = "\n".join(str(t).strip() for t in entry["terms"] if str(t).strip())
                    self.create(language=language, words=words, terms=terms)
                    added += 1
        return added


class Synonym(PublicContent):
    """Everyday words mapped to the terms the site's pages use: "butt" → "cluneal nerve
    entrapment". A search containing the words also searches for the terms. It changes what
    search finds, so it is public content."""

    language = models.CharField(
        _("language"), max_length=2, choices=settings.LANGUAGES, default="en", db_index=True
    )
    words = models.CharField(
        _("patient's words"),
        max_length=100,
        help_text=_(
            "What a patient might type, e.g. “buttock pain”. Found whatever the word order, "
            "with plurals and without accents."
        ),
    )
    terms = models.TextField(
        _("search for"),
        max_length=1000,
        help_text=_("The terms our pages use, one per line, e.g. “cluneal nerve entrapment”."),
    )

    objects = SynonymQuerySet.as_manager()

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["language", "words"]
        constraints = [
            models.UniqueConstraint(
                Lower("words"),
                "language",
                name="search_synonym_unique_words",
                violation_error_message=_("These words are already on the list for this language."),
            ),
            models.CheckConstraint(
                condition=~Q(words="") & ~Q(terms=""), name="search_synonym_filled"
            ),
        ]

    def __str__(self):
        return f"{self.words} → {', '.join(self.term_list())}"

    def clean(self):
        super().clean()
        self.words = " ".join(self.words.split())

    def term_list(self):
        return nonblank_lines(self.terms)
