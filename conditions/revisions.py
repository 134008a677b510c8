"""The medical review workflow: revisions of live pages, asking for review, publishing (now or
at a set time) and sending back, with the reviewer's own name stamped at publish.

A live page is never edited in place, by its author or anyone else: medical reviewers and
superusers too get its change form read-only (admin/roles.py), and a revert from its history
goes into its revision (admin/history.py). "Revise this page" makes a revision: a second row
of the same model (`revision_of` set) holding a copy of the live text, links, sources and
images. The live row, and so the public page and its cached copy, stay exactly as
published while the revision is written and reviewed. When a medical reviewer publishes it, its
fields and relations are copied onto the live row in one transaction and the revision row is
deleted; the live row's history then holds the new version, with who wrote it (`written_by`)
and who published it (`published_by`).

Why a row rather than a serialized copy (Wagtail's Revision model): a revision is then an
article like any other, so the admin form, the section editors and their preview, the
publish checklist, the readability report, the sources and images inlines and the word diff
against the live version all work on it unchanged, and its own history records each save. The
price is that every query must leave revision rows out: the models' default manager does
(`PagesManager`), a database constraint keeps a revision from ever being "published" (so search
and `published()` never see one), and the unique web address applies to pages only. A JSON
revision would instead need its own form, inlines, preview and diff, and images stored inside
it. One revision per page at a time (a unique constraint): two authors share it.

Publishing at a set time: the revision becomes "scheduled" and a task (conditions/tasks.py),
queued to run after that time, applies it; the `publish_due_revisions` command (cron) applies
any the queue missed. The page cache reads every row's publish time, revisions' too, so stored
pages expire at the set time, and the write that applies the revision changes the content
version again: readers get the new text as soon as the worker has run the task (its polling
interval after the set time).
"""

import logging

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from . import relations
from .models import ARTICLE_MODELS, Article

logger = logging.getLogger(__name__)

# What the workflow tells the rest of the app (tasks.py queues the email and the scheduled
# apply on them): `article`, and for `review_decided` the `outcome`, "published" or
# "sent back". Sent inside the transaction that made the change: the database task queue
# commits with it.
review_requested = Signal()
review_decided = Signal()
revision_scheduled = Signal()

# What a revision does not carry to its live page: the row's identity and place, its own
# workflow, and what the live row keeps (its web address, language and translation links are
# read-only on a revision; when it first went live; what load_content last wrote).
NOT_COPIED = {
    "id",
    "revision_of",
    "status",
    "publish_at",
    "created_at",
    "updated_at",
    "content_changed_at",
    "translation_synced_at",
    "loaded_fingerprint",
    "review_requested_by",
    "review_requested_at",
    "review_note",
}


def model_for(label):
    """An article model from its model name ("condition"): what tasks carry."""
    return {m._meta.model_name: m for m in ARTICLE_MODELS}[label]


def open_revision(live):
    """The revision in progress of a live page, or None."""
    return type(live).with_revisions.filter(revision_of=live).first()


def signature(user):
    """(name, credentials) as a medical reviewer signs: from their staff profile, set once by
    a superuser, or their name alone until one is set. Never typed on the article."""
    profile = getattr(user, "staff_profile", None)
    name = user.get_full_name() or user.get_username()
    return name, (getattr(profile, "credentials", "") or "")


def stamp_review(article, reviewer, today=None, keep_date=False):
    """Signs the article's medical review as `reviewer`, dated today unless `keep_date`."""
    article.reviewed_by, article.reviewer_credentials = signature(reviewer)
    article.published_by = reviewer
    if not keep_date or article.last_reviewed_on is None:
        article.last_reviewed_on = today or timezone.localdate()
        article.next_review_due = None  # worked out again from the review date on save


@transaction.atomic
def start_revision(live, user):
    """The live page's revision to work on: the one in progress, or a new copy of it."""
    model = type(live)
    live = model.objects.select_for_update().get(pk=live.pk)
    if existing := open_revision(live):
        return existing, False
    revision = model.with_revisions.get(pk=live.pk)
    revision.pk = revision.id = None
    revision._state.adding = True
    revision.revision_of = live
    revision.status = Article.Status.DRAFT
    revision.written_by = user
    revision.loaded_fingerprint = ""
    revision.review_requested_by = revision.review_requested_at = None
    revision.review_note = ""
    revision._history_user = user
    revision._change_reason = "Revision of the live page started"
    revision.save()
    relations.copy(live, revision)
    relations.record(revision)
    return revision, True


def ask_for_review(article, user):
    """Moves a draft (or revision) to "In review" and emails the medical reviewers."""

    article.status = Article.Status.IN_REVIEW
    article.review_requested_by = user
    article.review_requested_at = timezone.now()
    article.review_note = ""
    article._history_user = user
    article._change_reason = "Medical review asked for"
    article.save()
    relations.record(article)
    review_requested.send(sender=type(article), article=article)


def send_back(article, reviewer, note):
    """Returns an article in review to its author as a draft, with the reviewer's note."""

    article.status = Article.Status.DRAFT
    article.review_note = note
    article._history_user = reviewer
    article._change_reason = "Sent back by the medical reviewer"
    article.save()
    relations.record(article)
    review_decided.send(sender=type(article), article=article, outcome="sent back")


def publish(article, reviewer, now=None):
    """Publishes a draft, or a revision (now, or at its publish time if that is later).
    Returns the live page."""

    now = now or timezone.now()
    if not article.is_revision:
        stamp_review(article, reviewer, keep_date=False)
        article.status = Article.Status.PUBLISHED
        article._history_user = reviewer
        article._change_reason = "Published by the medical reviewer"
        article.save()
        relations.record(article)
        review_decided.send(sender=type(article), article=article, outcome="published")
        return article
    stamp_review(article, reviewer)
    if article.publish_at > now:
        article.status = Article.Status.SCHEDULED
        article._history_user = reviewer
        article._change_reason = "Published for a set time by the medical reviewer"
        article.save()
        relations.record(article)
        revision_scheduled.send(sender=type(article), article=article)
        return article.revision_of
    article._history_user = reviewer
    article._change_reason = "Signed off by the medical reviewer"
    article.save()  # the signature, for apply_revision to carry over
    return apply_revision(type(article), article.pk, now=now)


def apply_revision(model, revision_id, now=None):
    """Copies a revision onto its live page and removes it, in one transaction: the live
    row's history gets one new version holding the text, links, sources and images. Returns
    the live page, or None if there was nothing to apply (applied already, sent back, or
    scheduled for later)."""

    now = now or timezone.now()
    with transaction.atomic():
        revision = (
            model.with_revisions.select_for_update()
            .filter(pk=revision_id, revision_of__isnull=False)
            .first()
        )
        if revision is None:
            return None
        scheduled = revision.status == Article.Status.SCHEDULED
        if not scheduled and revision.status != Article.Status.IN_REVIEW:
            return None
        if scheduled and revision.publish_at > now:
            return None
        live = model.objects.select_for_update().get(pk=revision.revision_of_id)
        for field in model._meta.concrete_fields:
            if field.name not in NOT_COPIED:
                setattr(live, field.attname, getattr(revision, field.attname))
        live._history_user = revision.published_by
        author = revision.written_by.get_username() if revision.written_by else "?"
        publisher = revision.published_by.get_username() if revision.published_by else "?"
        live._change_reason = f"Revision by {author} published by {publisher}"
        live.save()
        relations.copy(revision, live)
        relations.record(live)
        requested_by = revision.review_requested_by_id
        revision.delete()
        live.review_requested_by_id = requested_by
        review_decided.send(sender=model, article=live, outcome="published")
    return live


def apply_due_revisions(now=None):
    """Applies every scheduled revision whose time has come. Returns how many."""
    now = now or timezone.now()
    applied = 0
    for model in ARTICLE_MODELS:
        due = model.with_revisions.filter(
            status=Article.Status.SCHEDULED, publish_at__lte=now
        ).values_list("pk", flat=True)
        for pk in list(due):
            if apply_revision(model, pk, now=now) is not None:
                applied += 1
    return applied


def take_offline(article, reviewer):
    """Moves a live page back to draft: the public page answers 404 from then on."""
    article.status = Article.Status.DRAFT
    article._history_user = reviewer
    article._change_reason = "Taken offline by the medical reviewer"
    article.save()
    relations.record(article)
