"""What articles carry: their sources (and the generic relation images share)."""

from urllib.parse import urlsplit

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinic_site.core.pagecache.models import PublicContent

from .kinds import article_kinds

# ARTICLE ATTACHMENTS: sources and images
# ------------------------------------------------------------------------------
# Why a generic relation rather than one foreign key per article model: sources and images
# belong to conditions, treatments and guides alike. One table each, one admin inline and one
# template serve all three, and a new kind of article needs no schema change. GenericRelation on
# Article gives `article.references`, prefetching and deletion along with the article; the price
# is no database-level foreign key to the article row, which Django's cascade makes up for.


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
