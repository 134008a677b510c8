"""What is due for medical review: one list for the admin index and the review_report command."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import ARTICLE_MODELS, Article

DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class DueItem:
    article: Article
    state: str  # "overdue", "never reviewed", "due soon" or "translation out of date"
    due: datetime.date | None

    @property
    def kind(self):
        return self.article._meta.verbose_name

    @property
    def admin_url(self):
        opts = self.article._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.article.pk])

    @property
    def site_url(self):
        return settings.SITE_URL + self.article.get_absolute_url()

    @property
    def full_admin_url(self):
        """The admin page to review it in, with the host (for email, outside any request)."""
        return settings.SITE_URL + self.admin_url


@dataclass(frozen=True)
class Queue:
    """What waits for a medical reviewer: articles (and revisions) in review, oldest request
    first, and how many revisions are published for a set time."""

    waiting: list
    scheduled: int

    @property
    def count(self):
        return len(self.waiting)


def review_queue(models=ARTICLE_MODELS):
    """The review queue: one query per kind of article."""
    waiting = []
    scheduled = 0
    for model in models:
        rows = model.with_revisions.filter(
            status__in=[Article.Status.IN_REVIEW, Article.Status.SCHEDULED]
        ).select_related("review_requested_by")
        for article in rows.only(*FIELDS, "revision_of", "review_requested_at",
                                 "review_requested_by__first_name",
                                 "review_requested_by__last_name",
                                 "review_requested_by__username"):  # fmt: skip
            if article.status == Article.Status.SCHEDULED:
                scheduled += 1
            else:
                waiting.append(DueItem(article, "in review", None))
    waiting.sort(
        key=lambda i: (i.article.review_requested_at is None, i.article.review_requested_at)
    )
    return Queue(waiting, scheduled)


UNPUBLISHED = [Article.Status.IN_REVIEW]
STATE_ORDER = {"overdue": 0, "never reviewed": 1, "translation out of date": 2, "due soon": 3}
FIELDS = (
    "title",
    "slug",
    "language",
    "status",
    "publish_at",
    "last_reviewed_on",
    "next_review_due",
)


def review_due(today=None, within_days=DUE_SOON_DAYS, models=ARTICLE_MODELS):
    """Articles whose review is overdue, that were never reviewed, translations whose English
    original changed since they were last marked in line, or articles due within
    `within_days`: most pressing first, in that order."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=within_days)
    items = []
    for model in models:
        for article in model.objects.translation_out_of_date().only(*FIELDS):
            items.append(DueItem(article, "translation out of date", None))
        # Pages in review are in the review queue instead (review_queue).
        for article in (
            model.objects.exclude(status__in=UNPUBLISHED).review_due_by(soon).only(*FIELDS)
        ):
            if article.last_reviewed_on is None:
                state = "never reviewed"
            elif article.next_review_due < today:
                state = "overdue"
            else:
                state = "due soon"
            items.append(DueItem(article, state, article.next_review_due))
    return sorted(
        items,
        key=lambda i: (STATE_ORDER[i.state], i.due or datetime.date.max, i.article.title.lower()),
    )
